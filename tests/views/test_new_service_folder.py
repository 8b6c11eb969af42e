"""File > New offers to save the new service in the folder the person works in (issue
14, a person-like tester): started on the sample, File > New, Save offered the app's
own sample folder, hidden in its data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from osom_desktop.app import DesktopApp
from osom_desktop.samples import sample_file
from osom_desktop.views.main_window import MainWindow
from tests.views.test_main_window import tea_file
from tests.views.test_new_service_name import answer_name


@pytest.fixture
def desktop(qtbot):
    app = DesktopApp()
    yield app
    for w in list(app.windows):
        w.stack.setClean()
        w._force_modified = False
        w.close()


def new_from(qtbot, desktop: DesktopApp, window: MainWindow, monkeypatch) -> Path:
    """File > New from ``window`` (a name typed, Enter), then File > Save in the new
    window: the file Save offers."""
    seen: list = []
    answer_name(qtbot, ["Citizen Alerts", Qt.Key.Key_Return], seen)
    window.act_new.trigger()
    assert seen
    new: MainWindow = desktop.windows[-1]
    assert new is not window and new.document.data.service.name == "Citizen Alerts"
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: (starts.append(start), ("", ""))[1]))
    new.act_save.trigger()
    assert starts
    return Path(starts[0])


def test_new_from_the_sample_offers_the_last_folder_used_not_the_samples(qtbot, desktop, monkeypatch,
                                                                          tmp_path: Path) -> None:
    mine = tmp_path / "services"
    mine.mkdir()
    worked_on = desktop.new_window(tea_file(mine))  # a file of the person's: the last folder used
    worked_on.stack.setClean()
    worked_on.close()
    sample = desktop.new_window(sample_file())
    sample.show()
    qtbot.waitExposed(sample)
    offered = new_from(qtbot, desktop, sample, monkeypatch)
    assert offered == mine / "Citizen Alerts.osom"


def test_new_from_a_service_offers_its_folder(qtbot, desktop, monkeypatch, tmp_path: Path) -> None:
    window = desktop.new_window(tea_file(tmp_path))
    window.show()
    qtbot.waitExposed(window)
    assert new_from(qtbot, desktop, window, monkeypatch) == tmp_path / "Citizen Alerts.osom"
