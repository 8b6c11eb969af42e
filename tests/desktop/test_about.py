"""Help > About says what this is, its version and licence, and where it keeps files."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel

from osom_desktop import __version__
from osom_desktop.views.about_dialog import AboutDialog
from osom_desktop.views.main_window import MainWindow


def _about_from_help_menu(qtbot, window) -> AboutDialog:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    about = next(a for a in help_menu.actions() if "About" in a.text())
    about.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    return dialog


def test_help_about_shows_version_licence_and_folders(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    dialog = _about_from_help_menu(qtbot, window)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert __version__ in texts
    assert any("MIT" in t for t in texts)
    home = Path(os.environ["OSOM_HOME"])
    folders = [Path(t) for t in texts if t.startswith("/")]
    assert any(p.is_relative_to(home) and "recovery" in p.parts for p in folders)
    dialog.close()


def test_network_window_has_help_about_too(qtbot, tmp_path: Path) -> None:
    from osom_desktop.views.network_window import NetworkWindow

    window = NetworkWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    dialog = _about_from_help_menu(qtbot, window)
    assert dialog.windowTitle() == "About OSOM Desktop"
    dialog.close()
