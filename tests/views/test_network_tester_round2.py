"""What a person-like tester found in the network window, second round, each checked as
they met it: real .osom files, the real window, mouse clicks and key presses.

Reload with two services selected raised "generator already executing" (a selected item
leaving the scene mid-step asked the drawing to finish from inside its own step); a
finding, or the Findings tab, selected services the filters hid; a duplicate file left
out was counted as unreadable; the header kept the whole network's count under a filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.views.network_window import SELECT_HINT
from tests.views.test_network_tester_round import forty, lit, loaded


def node_point(w, sid: str):
    item = w.scene.nodes[sid]
    w.view.ensureVisible(item, 10, 10)
    return w.view.mapFromScene(item.sceneBoundingRect().center())


def settled(w) -> bool:
    return w.result is not None and not w.scene.drawing and not w.is_loading()


def test_reload_with_two_services_selected_raises_nothing(qtbot, tmp_path: Path) -> None:
    forty(tmp_path)
    w = loaded(qtbot, tmp_path)
    for sid in ("svc-24", "svc-6"):  # Ctrl+click: both selected
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                         pos=node_point(w, sid))
    assert sorted(w.selected_services()) == ["svc-24", "svc-6"]
    qtbot.keyClick(w, Qt.Key.Key_F5)  # pytest-qt fails the test on an exception in a slot
    qtbot.waitUntil(lambda: settled(w), timeout=30000)
    assert w.selected_services() == [] and lit(w) == {}
    assert w.selection_label.text() == SELECT_HINT
    # The redrawn graph answers clicks as before.
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=node_point(w, "svc-6"))
    assert w.selected_services() == ["svc-6"] and "Service 06" in w.selection_label.text()
