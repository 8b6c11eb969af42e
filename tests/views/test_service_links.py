"""Linking map components to the services that provide them, across real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.wardley import ServiceRef
from osom_desktop.owm import parse_owm
from osom_desktop.storage import open_document, save_document
from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.record_dialogs import ContractChangeDialog
from tests.views.conftest import scene_point
from tests.views.forms import answer_form, type_into

SHOP = """title Tea Shop
anchor Customer [0.95, 0.6]
component Cup of Tea [0.8, 0.6]
component Kettle [0.45, 0.35]
component Power [0.1, 0.8]
Customer->Cup of Tea
Cup of Tea->Kettle
Kettle->Power
"""


def write_service(folder: Path, file: str, name: str, owm: str = "", lifecycle: str = "live") -> Path:
    doc = ServiceDocument()
    doc.service.name = name
    doc.service.lifecycle = lifecycle
    doc.contract.evolution_stage = "commodity"
    if owm:
        doc.map = parse_owm(owm).map
    path = folder / file
    save_document(doc, path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_service(tmp_path, "power.osom", "Power Grid", lifecycle="retired")
    write_service(tmp_path, "shop.osom", "Tea Shop", SHOP)
    return tmp_path


@pytest.fixture
def window(qtbot, folder: Path):
    w = MainWindow()
    assert w.open_path(folder / "shop.osom")
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: len(w.directory.services) == 2)  # read just after the first paint
    yield w
    w.stack.setClean()
    w._force_modified = False
    w.close()
    w.deleteLater()


def comp(w: MainWindow, name: str):
    return w.document.map.component_by_name(name)


def test_link_component_to_a_service_in_another_file(qtbot, window: MainWindow, folder: Path, answer_dialog) -> None:
    """The Tea Shop is live: answering Yes to "Add dependency?" changes its contract, so
    the Inspector asks for the reason and the change is recorded with the link, as one
    undo step (it used to add the dependency with no record: a bypass of OSOM's rule)."""
    power_id = open_document(folder / "power.osom").service.id
    window.view.select_ids([comp(window, "Power").id])
    combo = window.inspector.provider
    assert combo.findText("Power Grid") >= 0  # the other file in the folder is offered
    seen = answer_dialog("Yes")  # ... and add it to the contract's dependencies
    reasons = answer_form(ContractChangeDialog, lambda d: (d.reason.setPlainText("Power now comes from the grid"),
                                                           d.author.setText("Ann")))
    combo.setCurrentIndex(combo.findText("Power Grid"))
    combo.activated.emit(combo.currentIndex())
    assert seen and "not among this service's contract dependencies" in seen[0]
    assert len(reasons) == 1 and "Dependency added: Power Grid" in reasons[0].summary
    assert comp(window, "Power").provided_by == ServiceRef(name="Power Grid", service_id=power_id)
    deps = window.document.data.contract.dependencies
    assert [(d.service_name, d.service_id) for d in deps] == [("Power Grid", power_id)]
    [change] = window.document.data.contract_changes
    assert (change.reason, change.author, change.summary) == (
        "Power now comes from the grid", "Ann", "Dependency added: Power Grid")
    # One undo step takes all three back; redo brings them.
    assert window.stack.count() == 1
    window.stack.undo()
    assert comp(window, "Power").provided_by is None and window.document.data.contract.dependencies == []
    assert window.document.data.contract_changes == []
    window.stack.redo()
    assert window.save()
    reopened = open_document(folder / "shop.osom")
    assert reopened.map.component_by_name("Power").provided_by.service_id == power_id
    assert reopened.contract.dependencies[0].service_id == power_id
    assert reopened.contract_changes[0].reason == "Power now comes from the grid"


def test_cancelling_the_reason_links_nothing(qtbot, window: MainWindow, answer_dialog) -> None:
    window.view.select_ids([comp(window, "Power").id])
    answer_dialog("Yes")
    reasons = answer_form(ContractChangeDialog, accept=False)
    window.inspector.link_to_service(comp(window, "Power").id, ServiceRef(name="Power Grid"))
    assert len(reasons) == 1
    assert comp(window, "Power").provided_by is None
    assert window.document.data.contract.dependencies == [] and window.document.data.contract_changes == []
    assert window.stack.count() == 0
    assert window.inspector.provider.currentText() == ""  # the field shows the map again


def test_renaming_a_live_service_or_changing_its_manager_is_logged(qtbot, window: MainWindow) -> None:
    contract = window.contract
    window.act_show_contract.trigger()
    for field, text, reason in ((contract.name, "Tea Rooms", "New brand"), (contract.manager, "Sam Lee", "Sam took over")):
        window.activateWindow()  # the last reason dialog had it
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        asked = answer_form(ContractChangeDialog, lambda d, reason=reason: d.reason.setPlainText(reason))
        type_into(qtbot, field, text)
        assert len(asked) == 1
    data = window.document.data
    assert (data.service.name, data.service.manager) == ("Tea Rooms", "Sam Lee")
    assert [(c.reason, c.summary) for c in data.contract_changes] == [
        ("New brand", "Service name: 'Tea Shop' → 'Tea Rooms'"),
        ("Sam took over", "Service manager set: 'Sam Lee'"),
    ]
    window.stack.undo()
    assert data.service.manager == "" and len(window.document.data.contract_changes) == 1


def test_typed_service_not_yet_in_the_network(qtbot, window: MainWindow) -> None:
    from tests.views.test_inspector_services import answer_boxes

    window.view.select_ids([comp(window, "Kettle").id])
    # Said to match no service first (issue 14), then not added to the contract.
    seen = answer_boxes(["Link to \u201cAppliance Rental\u201d anyway", "No"])
    window.inspector.provider.setEditText("Appliance Rental")
    window.inspector.provider.lineEdit().editingFinished.emit()
    assert len(seen) == 2
    assert comp(window, "Kettle").provided_by == ServiceRef(name="Appliance Rental")
    assert window.document.data.contract.dependencies == []


def test_double_click_on_linked_component_opens_its_service(qtbot, window: MainWindow, folder: Path, answer_dialog) -> None:
    power = comp(window, "Power")
    answer_dialog("No")
    window.inspector.link_to_service(power.id, ServiceRef(name="Power Grid"))
    opened: list[Path] = []
    window.open_requested.connect(opened.append)
    window.view.zoom_actual()
    window.view.centerOn(window.scene.to_scene(power.visibility, power.evolution))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=scene_point(window, power.visibility, power.evolution))
    assert opened == [folder / "power.osom"]


def test_findings_panel_lists_and_goes_to_the_element(qtbot, window: MainWindow, answer_dialog) -> None:
    power = comp(window, "Power")
    answer_dialog("No")  # linked on the map, but not added to the contract
    window.inspector.link_to_service(power.id, ServiceRef(name="Power Grid"))
    window.findings.recheck()
    by_code = {f.code: f for f in window.findings.findings}
    assert "depends-on-retired" in by_code  # Power Grid's own file says it is retired
    assert by_code["link-not-in-contract"].element_id == power.id
    row = window.findings.findings.index(by_code["link-not-in-contract"])
    window.view.select_ids([])
    window.findings.list.itemClicked.emit(window.findings.list.item(row))
    assert window.view.selected_ids() == [power.id]
