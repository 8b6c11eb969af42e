"""Reading a folder summary does not pay for pydantic's date adapter unless a date needs it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from osom_desktop.model.service import LifecycleStage
from tests.analysis.services import document, saved, transition

TODAY = dt.date.today()
PAST, AHEAD = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=40)


def assessed_ahead(folder: Path) -> Path:
    """A live service assessed a month ago, with the next assessment already entered."""
    live = LifecycleStage.LIVE
    return saved(document("Payments", sid="svc-payments", lifecycle=live,
                          assessments=[transition(live, PAST, "a-past"), transition(live, AHEAD, "a-ahead")]), folder)


def test_reading_a_summary_never_builds_the_date_adapter_for_dates_as_osom_writes_them(tmp_path: Path) -> None:
    """Each ``osom check`` process imports the summary; the pydantic adapter is made only
    for a date spelt otherwise (and then names a bad one as before)."""
    path = assessed_ahead(tmp_path)
    code = ("import sys; from osom_desktop.storage import summary as s; s.read_summary(sys.argv[1]);"
            "print(s._date_adapter.cache_info().currsize)")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0"
