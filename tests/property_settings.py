"""Hypothesis profiles: the same examples on every CI run, more of them on demand.

- ``ci`` (used when the ``CI`` environment variable is set, as it is in CI): derandomised,
  so a red run is the same red run on the next try and on a developer's machine.
- ``dev`` (default elsewhere): random seeds, remembered in ``.hypothesis/`` so a failure
  found once is tried first next time.
- ``long``: ten times the examples, for a search before a release:
  ``HYPOTHESIS_PROFILE=long bash scripts/test.sh tests/owm``.
A failure prints its seed; ``pytest --hypothesis-seed=N`` replays it under any profile.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.register_profile("long", print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)
_SCALE = 10 if PROFILE == "long" else 1


def examples(n: int) -> int:
    """``max_examples`` for a test: ``n`` normally, scaled up by the ``long`` profile."""
    return n * _SCALE
