"""Shared test set-up: offscreen Qt, and where the shared OWM fixtures live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt aborts with no display unless told to draw offscreen; CI has no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
# shared/ sits beside the checkout (../shared), in CI as on a developer's machine.
FIXTURES = (REPO.parent / "shared" / "fixtures" / "owm").resolve()
OWM_FIXTURES = sorted(FIXTURES.glob("*.owm"))


@pytest.fixture(scope="session")
def owm_fixtures() -> list[Path]:
    if not OWM_FIXTURES:
        pytest.fail(f"no OWM fixtures found in {FIXTURES}")
    return OWM_FIXTURES
