"""In the app: File > Export > Mermaid… and Edit > Copy as Mermaid, on a real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication

from osom_desktop.formats.mermaid import parse_mermaid
from osom_desktop.views.main_window import MainWindow
from tests.views.test_main_window import discard_changes, tea_file


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OSOM_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.show()
    qtbot.waitExposed(w)
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def _menu_action(window: MainWindow, *path: str):  # noqa: ANN202 - a QAction
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == path[0])
    for name in path[1:-1]:
        menu = next(a.menu() for a in menu.actions() if a.text().replace("&", "") == name)
    return next(a for a in menu.actions() if a.text().replace("&", "") == path[-1])


def test_copy_as_mermaid_puts_the_whole_map_on_the_clipboard(window: MainWindow) -> None:
    QGuiApplication.clipboard().clear()
    _menu_action(window, "Edit", "Copy as Mermaid").trigger()
    text = QGuiApplication.clipboard().text()
    back = parse_mermaid(text, "clipboard")
    drawn = {c.name for c in window.document.map.components if c.visibility is not None and c.pipeline_id is None}
    assert drawn <= {c.name for c in back.components}
    assert window.statusBar().currentMessage().startswith("Copied the map as Mermaid")


def test_file_export_mermaid_writes_the_file_and_says_what_mermaid_cannot_show(window: MainWindow, tmp_path: Path) -> None:
    assert _menu_action(window, "File", "Export", "Mermaid…") is window.act_export_mermaid
    plain = next(c for c in window.document.map.components if c.kind == "component" and c.visibility is not None)
    plain.ecosystem = True  # something Mermaid has no form for
    out = tmp_path / "tea.mmd"
    assert window.export_to(out, "mermaid")
    assert out.read_text(encoding="utf-8").startswith("wardley-beta\n")
    message = window.statusBar().currentMessage()
    assert message.startswith("Exported tea.mmd; Mermaid cannot show: ") and "'ecosystem' has no Mermaid form" in message
