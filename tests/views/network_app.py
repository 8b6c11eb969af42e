"""Driving the network window as the app opens it (``DesktopApp.open_network``): shared
by the network tests that follow a finding to its map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from osom_desktop.app import DesktopApp
from osom_desktop.views.network_window import NetworkWindow


def drawn(w: NetworkWindow) -> bool:
    return w.result is not None and not w.is_loading() and not w.scene.drawing


def open_from_app(qtbot, folder: Path, ready: Callable[[NetworkWindow], bool] = drawn,
                  activate: bool = False) -> tuple[DesktopApp, NetworkWindow]:
    """The app's network window on ``folder`` at 1280x800, once ``ready``."""
    desktop = DesktopApp()
    w = desktop.open_network(folder)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    if activate:
        w.activateWindow()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: ready(w), timeout=30000)
    return desktop, w


def kind_row(tree: QTreeWidget, title: str) -> QTreeWidgetItem:
    """The Findings tree's row of the kind whose title starts with ``title``."""
    return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0).startswith(title))


def open_kind(qtbot, w: NetworkWindow, title: str) -> QTreeWidgetItem:
    """That kind's row made current and opened with the Right key, as a person would."""
    tree = w.findings
    head = kind_row(tree, title)
    tree.setFocus()
    tree.setCurrentItem(head)
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    return head
