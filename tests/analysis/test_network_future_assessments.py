"""An assessment dated after today is not evidence the service was assessed: the
network's "last assessment", its overdue list, its findings, the JSON report and the
executive pack all say so, from the one analysis (real .osom files)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from osom_desktop.analysis.network import answer, load_network, network_report
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from tests.analysis.future_assessments import future_folder


def test_a_future_dated_assessment_is_reported_not_counted(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 1)
    ahead = future_folder(tmp_path, today)
    report = network_report(load_network(tmp_path), today)
    last = {s["name"]: s["last_assessment"] for s in report["services"]}
    assert last == {"Fresh": "2026-10-02", "Planned": None, "Stale": "2024-01-01"}
    overdue = {r["service"]: r["reason"] for r in report["overdue_assessments"]}
    assert set(overdue) == {"Planned", "Stale"}
    # Planned has an assessment on file: "none recorded" would contradict the file.
    assert "no assessment recorded" not in overdue["Planned"]
    assert str(ahead["Planned"]) in overdue["Planned"] and "after today" in overdue["Planned"]
    # Each future date is its own finding, naming the service and the date.
    future = [f for f in report["findings"] if f["code"] == "assessment-in-future"]
    assert sorted((f["service_id"], f["severity"]) for f in future) == [("svc-planned", "note"), ("svc-stale", "note")]
    assert any(f"Stale: the assessment dated {ahead['Stale']} is after today" in f["message"] for f in future)
    assert [(r["service"], r["date"]) for r in report["future_assessments"]] == [
        ("Planned", str(ahead["Planned"])), ("Stale", str(ahead["Stale"]))]
    assert {"title": "Assessments dated in the future", "severity": "note", "count": 2} in report["finding_groups"]


def test_json_and_executive_pack_agree(tmp_path: Path) -> None:
    """``osom network --format json`` as a person runs it (today is the real date), and
    the pack's services, say the same of each service."""
    today = dt.date.today()
    ahead = future_folder(tmp_path / "services", today)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "network", str(tmp_path / "services"),
                          "--format", "json", "-o", "-"], capture_output=True, text=True, env=env, timeout=120,
                         check=False)
    assert run.returncode in (0, 1), run.stderr
    data = json.loads(run.stdout)
    if data["today"] != today.isoformat():  # midnight passed between the two: nothing to compare
        return
    net = load_network(tmp_path / "services")
    pack = executive_context(net, tmp_path / "services", today, answered=answer(net, today))
    by_name = {s["name"]: s for s in pack["sections"]}
    for s in data["services"]:
        assert by_name[s["name"]]["last_assessment"] == (s["last_assessment"] or "never")
    assert by_name["Planned"]["last_assessment"] == "never"
    pack_says = {m["message"] for m in by_name["Stale"]["findings"]}
    json_says = {f["message"] for f in data["findings"] if f["service_id"] == "svc-stale"}
    assert pack_says == json_says
    assert any(f"dated {ahead['Stale']} is after today" in m for m in pack_says)
    html = render_executive_html(pack)
    assert f"the assessment dated {ahead['Planned']} is after today" in html
