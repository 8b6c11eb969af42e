"""File > New asks for the new service's name (issue 14, a person-like tester): it made
an "Untitled service" nobody asked for. The name typed is the contract's name, the
map's title and the file name Save offers; Escape makes no window at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit

from osom_desktop.app import DesktopApp
from osom_desktop.owm import write_owm
from osom_desktop.views.main_window import MainWindow
from tests.views.test_main_window import tea_file


@pytest.fixture
def desktop(qtbot, tmp_path: Path):
    app = DesktopApp()
    first = app.new_window(tea_file(tmp_path))
    first.show()
    qtbot.waitExposed(first)
    yield app
    for w in list(app.windows):
        w.stack.setClean()
        w._force_modified = False
        w.close()


def answer_name(qtbot, keys: list, seen: list) -> None:
    """When the name question is up: type ``keys`` into its field (text, or a key)."""

    def poll(tries: int = 250) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QDialog):
            if tries:
                QTimer.singleShot(20, lambda: poll(tries - 1))
            return
        field = box.findChild(QLineEdit, "serviceName")
        seen.append((box.windowTitle(), field.text() if field is not None else None))
        if field is None:
            box.reject()
            return
        for key in keys:
            if isinstance(key, str):
                qtbot.keyClicks(field, key)
            else:
                qtbot.keyClick(field, key)
        if box.isVisible():  # the keys did not close it: the asserts say so
            QTimer.singleShot(3000, box, box.reject)

    QTimer.singleShot(0, poll)


def test_new_asks_the_name_and_uses_it_for_contract_map_title_and_file(qtbot, desktop, monkeypatch, tmp_path) -> None:
    first: MainWindow = desktop.windows[0]
    seen: list = []
    answer_name(qtbot, ["Citizen Alerts", Qt.Key.Key_Return], seen)
    qtbot.keyClick(first, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New
    assert seen and seen[0][1] == "New service"  # a sensible default, selected: typing replaces it
    assert len(desktop.windows) == 2
    new: MainWindow = desktop.windows[1]
    qtbot.waitExposed(new)
    assert new.document.data.service.name == "Citizen Alerts"
    assert new.contract.name.text() == "Citizen Alerts"
    assert new.document.map.title == "Citizen Alerts"
    assert write_owm(new.document.map).splitlines()[0] == "title Citizen Alerts"
    assert "Citizen Alerts" in new.windowTitle()
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: (starts.append(start), ("", ""))[1]))
    new.act_save.trigger()
    # Offered beside the service it was made from (services live in one folder).
    assert Path(starts[0]) == tmp_path / "Citizen Alerts.osom"
    # Opening a file from the new service's window opens another: the named service stays.
    new.open_or_delegate(tea_file(tmp_path, "other.osom"))
    assert len(desktop.windows) == 3 and new.document.data.service.name == "Citizen Alerts"


def test_escape_makes_no_new_window(qtbot, desktop) -> None:
    first: MainWindow = desktop.windows[0]
    seen: list = []
    answer_name(qtbot, ["Something", Qt.Key.Key_Escape], seen)
    first.act_new.trigger()
    assert seen
    assert len(desktop.windows) == 1


def test_a_blank_name_cannot_be_made_and_a_slash_stays_out_of_the_file_name(qtbot, desktop, monkeypatch) -> None:
    first: MainWindow = desktop.windows[0]
    seen: list = []
    # Blank: Enter does nothing (the question stays up), then a name with a slash.
    answer_name(qtbot, [Qt.Key.Key_Backspace, Qt.Key.Key_Return, "Pay / Refunds", Qt.Key.Key_Return], seen)
    first.act_new.trigger()
    assert len(desktop.windows) == 2
    new: MainWindow = desktop.windows[1]
    assert new.document.data.service.name == "Pay / Refunds"
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: (starts.append(start), ("", ""))[1]))
    new.act_save_as.trigger()
    assert Path(starts[0]).name == "Pay - Refunds.osom"
