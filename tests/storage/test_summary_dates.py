"""The folder summary's last assessment follows the one rule (a date after today has not
happened), agrees with the network window's table, and survives the summary cache."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.network import load_network, service_rows
from osom_desktop.model.service import LifecycleStage
from osom_desktop.storage.summary import SummaryCache, _cache_file, read_summary
from tests.analysis.services import document, saved, transition

TODAY = dt.date.today()
PAST, AHEAD = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=40)


def assessed_ahead(folder: Path) -> Path:
    """A live service assessed a month ago, with the next assessment already entered."""
    live = LifecycleStage.LIVE
    return saved(document("Payments", sid="svc-payments", lifecycle=live,
                          assessments=[transition(live, PAST, "a-past"), transition(live, AHEAD, "a-ahead")]), folder)


def test_a_future_dated_assessment_is_not_the_last_one(tmp_path: Path) -> None:
    path = assessed_ahead(tmp_path)
    facts = read_summary(path)
    assert facts.last_assessment == PAST
    # Kept, not dropped: once its day comes it is the last assessment, the file unchanged.
    assert facts.last_assessment_on(AHEAD) == AHEAD
    assert facts.last_assessment_on(PAST - dt.timedelta(days=1)) is None
    [summary] = ServiceDirectory.scan(tmp_path).services
    assert summary.last_assessment == PAST
    # What the network window's table shows for the same file.
    [row] = service_rows(load_network(tmp_path, light=True), TODAY)
    assert row["last_assessment"] == summary.last_assessment.isoformat()


def test_the_cache_keeps_every_date_and_an_older_cache_is_read_again(tmp_path: Path) -> None:
    assessed_ahead(tmp_path)
    ServiceDirectory.scan(tmp_path)  # writes the cache
    [again] = ServiceDirectory.scan(tmp_path).services  # from it
    assert (again.last_assessment, again.last_assessment_on(AHEAD)) == (PAST, AHEAD)
    # A cache written before the rule: its entry says the future date is the last one.
    cache_path = _cache_file(SummaryCache(tmp_path).folder)
    data = json.loads(cache_path.read_bytes())
    data["header"]["format"] = 1
    data["entries"]["payments.osom"][1]["assessed"] = AHEAD.isoformat()
    cache_path.write_text(json.dumps(data))
    [reread] = ServiceDirectory.scan(tmp_path).services
    assert reread.last_assessment == PAST


def test_reading_a_summary_never_builds_the_date_adapter_for_dates_as_osom_writes_them(tmp_path: Path) -> None:
    """Each ``osom check`` process imports the summary; the pydantic adapter is made only
    for a date spelt otherwise (and then names a bad one as before)."""
    path = assessed_ahead(tmp_path)
    code = ("import sys; from osom_desktop.storage import summary as s; s.read_summary(sys.argv[1]);"
            "print(s._date_adapter.cache_info().currsize)")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0"
