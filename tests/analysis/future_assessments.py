"""A folder whose live services have assessments dated after today (shared by the
analysis and window tests of that rule)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osom_desktop.model.service import LifecycleStage
from tests.analysis.services import dependency, document, saved, transition

LIVE = LifecycleStage.LIVE


def future_folder(folder: Path, today: dt.date) -> dict[str, dt.date]:
    """Stale: assessed long ago, and once more "next spring"; Planned: only a date ahead;
    Fresh: assessed last month. Returns the future dates by service name."""
    ahead = {"Stale": today + dt.timedelta(days=120), "Planned": today + dt.timedelta(days=44)}
    saved(document("Stale", sid="svc-stale", lifecycle=LIVE,
                   assessments=[transition(LIVE, dt.date(2024, 1, 1), "a-old"),
                                transition(LIVE, ahead["Stale"], "a-next")]), folder)
    saved(document("Planned", sid="svc-planned", lifecycle=LIVE,
                   assessments=[transition(LIVE, ahead["Planned"], "a-planned")]), folder)
    saved(document("Fresh", sid="svc-fresh", lifecycle=LIVE, deps=[dependency("Stale", "svc-stale")],
                   assessments=[transition(LIVE, today - dt.timedelta(days=30), "a-fresh")]), folder)
    return ahead
