"""Renaming the service in the Contract dock renames the map too (its OWM title), as
one undo step, when the title was simply the service's name."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.record_dialogs import ContractChangeDialog
from tests.views.forms import answer_form, type_into


def test_renaming_the_service_renames_the_map_title_everywhere(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "notifications.osom"
    data = sample_document()
    assert data.map.title == data.service.name  # the sample: one name
    save_document(data, path)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(path)
    w.show()
    qtbot.waitExposed(w)
    w.act_show_contract.trigger()
    seen = answer_form(ContractChangeDialog, lambda d: (d.reason.setPlainText("New name from the board"),
                                                        d.author.setText("Amara")))
    type_into(qtbot, w.contract.name, "Citizen Alerts")
    qtbot.waitUntil(lambda: w.document.data.service.name == "Citizen Alerts", timeout=3000)
    assert seen
    assert w.document.map.title == "Citizen Alerts"
    w.text.flush()
    qtbot.waitUntil(lambda: "title Citizen Alerts" in w.text.editor.toPlainText(), timeout=3000)
    w.stack.undo()
    assert (w.document.data.service.name, w.document.map.title) == ("Notifications", "Notifications")
    w.stack.setClean()
    w.close()
