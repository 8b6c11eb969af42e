"""Provided by: services picked by name; a name that matches none is said so, with the nearest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from osom_desktop.model.wardley import ServiceRef
from osom_desktop.storage import open_document
from tests.views.test_service_links import folder, window, write_service  # noqa: F401 - fixtures


def answer_boxes(answers: list[str]) -> list[str]:
    """Click, in turn, the button whose text starts with each answer; returns the texts seen."""
    seen: list[str] = []
    pending = list(answers)

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and box.text() not in seen[-1:]:
            seen.append(box.text())
            if pending:
                want = pending.pop(0)
                for button in box.buttons():
                    if button.text().replace("&", "").startswith(want):
                        button.click()
                        break
                else:
                    raise AssertionError(f"no {want!r} in {[b.text() for b in box.buttons()]}")
        if pending or QApplication.activeModalWidget() is not None:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return seen


def _type_provider(qtbot, window, text: str) -> None:
    line = window.inspector.provider.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_a_misspelt_provider_is_caught_with_the_nearest_name(qtbot, window, folder: Path) -> None:
    power_id = open_document(folder / "power.osom").service.id
    window.act_show_inspector.trigger()
    window.view.select_ids([window.document.map.component_by_name("Power").id])
    seen = answer_boxes(["Use", "No"])  # the suggestion, then no contract dependency
    _type_provider(qtbot, window, "Powr Grid")
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=3000)
    qtbot.wait(100)
    assert "Did you mean \u201cPower Grid\u201d" in seen[0]
    assert "not among this service's contract dependencies" in seen[1]
    assert len(seen) == 2  # each question once
    provided = window.document.map.component_by_name("Power").provided_by
    assert provided == ServiceRef(name="Power Grid", service_id=power_id)


def test_a_name_no_service_has_is_linked_only_when_the_person_says_so(qtbot, window) -> None:
    window.act_show_inspector.trigger()
    window.view.select_ids([window.document.map.component_by_name("Power").id])
    seen = answer_boxes(["Cancel"])
    _type_provider(qtbot, window, "Water Board")
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=3000)
    qtbot.wait(100)
    assert "No service in this folder or your recent files is called \u201cWater Board\u201d" in seen[0]
    assert window.document.map.component_by_name("Power").provided_by is None
    assert window.inspector.provider.currentText() == ""


def test_save_as_into_a_folder_lists_its_services_at_once(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from osom_desktop.views.main_window import MainWindow

    write_service(tmp_path, "power.osom", "Power Grid")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "new.osom"), "")))
    assert w.save_as()
    qtbot.waitUntil(lambda: w.inspector.provider.findText("Power Grid") >= 0, timeout=5000)
    assert w.contract.services and w.contract.services[0].name == "Power Grid"
    w.stack.setClean()


def test_a_service_saved_into_the_folder_after_opening_is_offered(qtbot, window, folder: Path) -> None:
    """A colleague's file copied in while the window is open: both pickers list it,
    without reopening anything."""
    assert window.inspector.provider.findText("Water Board") < 0
    write_service(folder, "water.osom", "Water Board")
    qtbot.waitUntil(lambda: window.inspector.provider.findText("Water Board") >= 0, timeout=10000)
    assert "Water Board" in [s.name for s in window.contract.services]


def test_a_misspelt_dependency_is_caught_with_the_nearest_name(qtbot, tmp_path: Path) -> None:
    from osom_desktop.views.main_window import MainWindow
    from osom_desktop.views.record_dialogs import DependencyDialog
    from tests.views.forms import answer_form, type_into

    power = write_service(tmp_path, "power.osom", "Power Grid")
    shop = write_service(tmp_path, "shop.osom", "Tea Shop", "component Power [0.1, 0.8]\n", lifecycle="beta")
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(shop)
    w.show()
    qtbot.waitUntil(lambda: len(w.contract.services) == 1, timeout=5000)
    listed: list[str] = []

    def fill(d: DependencyDialog) -> None:
        listed.extend(d.service_name.itemText(i) for i in range(d.service_name.count()))
        type_into(qtbot, d.service_name, "power grd")

    seen = answer_boxes(["Use", "No"])  # the name question, then the map offer
    answer_form(DependencyDialog, fill)
    w.contract.add_dependency_dialog()
    qtbot.waitUntil(lambda: len(seen) >= 2, timeout=3000)
    assert listed == ["Power Grid"]  # the folder's other service, in the list
    assert "Did you mean \u201cPower Grid\u201d" in seen[0]
    assert len(seen) == 2  # each question once
    [dep] = w.document.data.contract.dependencies
    assert (dep.service_name, dep.service_id) == ("Power Grid", open_document(power).service.id)
    w.stack.setClean()
    w.close()


def test_a_dependency_renamed_in_the_table_is_checked_against_the_folder(qtbot, tmp_path: Path) -> None:
    from osom_desktop.views.main_window import MainWindow

    power = write_service(tmp_path, "power.osom", "Power Grid")
    shop = write_service(tmp_path, "shop.osom", "Tea Shop", lifecycle="beta")
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(shop)
    w.show()
    try:
        _rename_in_table(qtbot, w, power)
    finally:
        w.stack.setClean()  # closing asks nothing, pass or fail
        w.close()


def _rename_in_table(qtbot, w, power: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemDelegate

    from osom_desktop.model.service import Dependency
    from osom_desktop.views.service_picker import ServicePicker

    qtbot.waitUntil(lambda: len(w.contract.services) == 1, timeout=5000)
    answer_boxes(["No"])  # the map offer for the first name
    w.contract.add_dependency(Dependency(service_name="Water Board"))
    w.act_show_contract.trigger()
    table = w.contract.dependencies
    table.setCurrentCell(0, 0)
    table.edit(table.currentIndex())
    editor = table.findChild(ServicePicker)
    assert editor is not None and editor.findText("Power Grid") >= 0  # the folder's services, listed
    seen = answer_boxes(["Use"])
    editor.setText("power grd")
    table.commitData(editor)
    table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    qtbot.waitUntil(lambda: w.document.data.contract.dependencies[0].service_name == "Power Grid", timeout=3000)
    assert "Did you mean \u201cPower Grid\u201d" in seen[0]
    assert w.document.data.contract.dependencies[0].service_id == open_document(power).service.id
