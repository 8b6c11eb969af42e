"""The executive's side across a folder: the same answers in the window and in JSON."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from osom_desktop.analysis.governance import network_governance
from osom_desktop.storage import open_document
from osom_desktop.views.governance_tab import GovernanceTab
from tests.governance.network_folder import governed_folder

TODAY = dt.date.today()


def test_network_answers_heat_map_trends_recurring_causes_and_silent_services(tmp_path: Path) -> None:
    paths = governed_folder(tmp_path / "net", TODAY)
    docs = [(open_document(p).service.name, open_document(p)) for p in paths]
    g = network_governance(docs, TODAY)
    assert [(s, c.title) for s, c in g.coes_awaiting_review] == [("Notifications", "Notifications outage"),
                                                                  ("Council Tax", "Council Tax outage")]
    causes = dict(g.recurring_root_causes)
    assert causes["Disk full on the print server"] == ["Council Tax", "Notifications"]  # case and punctuation aside
    assert causes["doctrine not followed: Manage failure"] == ["Council Tax", "Notifications"]
    assert g.actions == {"Notifications": (1, 1), "Council Tax": (1, 1), "Parking Permits": (1, 1)}
    assert g.silent_services == ["Parking Permits"]  # missed uptime, no CoE in a year
    rows = dict(g.heat_map.rows)
    assert rows["Notifications"][("osom-common", "reliable")].trend == "up"  # red -> amber
    assert rows["Notifications"][("wardley-doctrine", "know-users")].trend == "up"  # 2 -> 4
    assert rows["Council Tax"][("wardley-doctrine", "manage-failure")].trend == "down"  # 5 -> 1
    assert rows["Parking Permits"][("osom-technical", "open-code")].decision == "not met"
    assert len(g.heat_map.columns) == 53


def test_osom_network_json_carries_the_governance_answers(tmp_path: Path) -> None:
    governed_folder(tmp_path / "net", TODAY)
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "network", str(tmp_path / "net"), "-f", "json", "-o", "-"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    gov = json.loads(run.stdout)["governance"]
    assert len(gov["coes_awaiting_review"]) == 2
    assert gov["actions"]["Parking Permits"] == {"open": 1, "overdue": 1}
    assert gov["missed_target_without_coe"] == ["Parking Permits"]
    [notifications] = [s for s in gov["heat_map"]["services"] if s["service"] == "Notifications"]
    cells = {(c["set"], c["criterion"]): c for c in notifications["cells"]}
    assert cells[("osom-common", "reliable")] | {"assessed_on": ""} == {
        "set": "osom-common", "criterion": "reliable", "decision": "amber", "previous": "red", "trend": "up", "assessed_on": ""}


def test_the_governance_tab_shows_the_heat_map_and_what_awaits_the_executive(qtbot, tmp_path: Path) -> None:
    paths = governed_folder(tmp_path / "net", TODAY)
    tab = GovernanceTab()
    qtbot.addWidget(tab)
    tab.show_services([(open_document(p).service.name, open_document(p)) for p in paths], TODAY)
    assert tab.heat_map.rowCount() == 3 and tab.heat_map.columnCount() == 53
    tab.set_filter.setCurrentIndex(tab.set_filter.findData("osom-common"))
    assert tab.heat_map.columnCount() == 10
    col = next(c for c in range(10) if " ".join(tab.heat_map.horizontalHeaderItem(c).text().split()) == "Operate a reliable service")
    assert tab.heat_map.item(0, col).text() == "amber ↑"
    assert "2 CoE(s) awaiting review" in tab.summary.text()
    assert "Disk full on the print server — Council Tax, Notifications" in tab.waiting.text()


def test_the_executive_pack_summarises_governance_in_html_and_pdf(tmp_path: Path) -> None:
    from osom_desktop.analysis.network import load_network
    from osom_desktop.export.executive_pack import (
        executive_context,
        render_executive_html,
        write_executive,
    )
    from tests.governance.test_pack import parsed, pdf_text

    folder = tmp_path / "net"
    governed_folder(folder, TODAY)
    net = load_network(folder)
    page = parsed(render_executive_html(executive_context(net, folder, TODAY)))
    text = " ".join("".join(page.text).split())
    assert "script" not in page.tags
    for expected in ("Governance across the network", "Notifications: Notifications outage",
                     "print server", "Manage failure — Council Tax, Notifications", "amber: 1 · green: 9",
                     "Missed a target, no CoE in a year Parking Permits"):
        assert expected in text, expected
    pdf = " ".join(pdf_text(write_executive(net, folder, tmp_path / "exec.pdf", TODAY)).split())
    assert "Governance across the network" in pdf and "Recurring root causes" in pdf
