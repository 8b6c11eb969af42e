"""Shared test set-up: offscreen Qt, and where the OWM conformance fixtures live."""

from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
from pathlib import Path

import pytest

import tests.property_settings  # noqa: F401  (registers and loads the hypothesis profile)

# Qt aborts with no display unless told to draw offscreen; CI has no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real user's settings, recovery files or caches: every run (and every
# xdist worker, and the processes the tests start, which inherit it) gets its own home.
os.environ["OSOM_HOME"] = tempfile.mkdtemp(prefix="osom-test-home-")
# Every `osom check` a test starts runs in its own process, as the tests of the process
# (its imports, signals, pipes) expect, and no check server outlives the run: the
# server's own tests (tests/cli/test_check_server.py) turn it on and stop it.
os.environ["OSOM_CHECK_SERVER"] = "0"

# A crash in C++ (a Qt object used after it was deleted) prints every thread's Python
# stack: pytest's own faulthandler plugin does this unless it is turned off (-p
# no:faulthandler); then it is done here, so an xdist worker that dies names its test.
if not faulthandler.is_enabled():
    faulthandler.enable(all_threads=True)

REPO = Path(__file__).resolve().parent.parent
# Conformance maps written by other people, copied byte-exact (origins and licences in SOURCES.md).
FIXTURES = REPO / "tests" / "fixtures" / "owm"
OWM_FIXTURES = sorted(FIXTURES.glob("*.owm"))


@pytest.fixture(scope="session")
def owm_fixtures() -> list[Path]:
    if not OWM_FIXTURES:
        pytest.fail(f"no OWM fixtures found in {FIXTURES}")
    return OWM_FIXTURES


@pytest.fixture(autouse=True)
def _no_window_left_on_screen():
    """After each test, hide any top-level window it left shown (a window whose test
    failed before closing it, or one closed only by a later deleteLater).

    Offscreen, a simulated mouse move goes to the first shown window under the point,
    not to the widget the test names: a window left by an earlier test took the next
    test's hover, and N then added its component in the middle of the view."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()
