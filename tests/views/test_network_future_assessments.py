"""The network window on a folder whose services have assessments dated after today:
its table and findings say what the JSON report says (one analysis)."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.analysis.network import load_network, network_report
from osom_desktop.views.network_window import TABLE_COLUMNS, NetworkWindow
from tests.analysis.future_assessments import future_folder
from tests.analysis.services import TODAY


def test_window_table_and_findings_agree_with_the_report(qtbot, tmp_path: Path) -> None:
    ahead = future_folder(tmp_path, TODAY)
    w = NetworkWindow(tmp_path, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.scene.drawing, timeout=15000)
    report = network_report(load_network(tmp_path), TODAY)
    col = [key for key, _, _ in TABLE_COLUMNS].index("last_assessment")
    shown = {w.table.item(r, 0).text(): w.table.item(r, col).text() for r in range(w.table.rowCount())}
    assert shown["Stale"] == "2024-01-01"  # not the assessment planned for next spring
    assert {n: (v or None) for n, v in shown.items()} == {s["name"]: s["last_assessment"] for s in report["services"]}
    heads = {w.findings.topLevelItem(g).text(0): w.findings.topLevelItem(g) for g in range(w.findings.topLevelItemCount())}
    [head] = [h for title, h in heads.items() if title.startswith("Assessments dated in the future")]
    w.findings.expandItem(head)
    texts = sorted(head.child(i).text(0) for i in range(head.childCount()))
    assert len(texts) == 2
    assert f"Planned: the assessment dated {ahead['Planned']} is after today" in texts[0]
    assert f"Stale: the assessment dated {ahead['Stale']} is after today" in texts[1]
