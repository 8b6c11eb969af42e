"""The map first: how much of the window the canvas gets, fitting, and the empty-map hint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QWheelEvent

from osom_desktop.views.main_window import MainWindow
from tests.views.test_main_window import discard_changes, tea_file


def _shown(qtbot, w: MainWindow, width: int, height: int) -> MainWindow:
    w.resize(width, height)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(50)
    return w


def _label_points(w: MainWindow) -> float:
    px = w.scene.paints.font.pixelSize() * w.view.transform().m11()
    return px * 72.0 / w.view.logicalDpiY()


def test_at_1280x800_the_map_fills_most_of_the_window_with_readable_labels(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    _shown(qtbot, w, 1280, 800)
    try:
        assert w.view.width() >= 0.68 * w.width()
        assert w.view.height() >= 0.85 * w.height()
        assert _label_points(w) >= 9.0
    finally:
        discard_changes(w)
        w.close()


def test_the_map_follows_the_window_size_until_the_person_zooms(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    _shown(qtbot, w, 1280, 800)
    try:
        small = w.view.transform().m11()
        w.resize(1920, 1080)
        qtbot.waitUntil(lambda: w.view.transform().m11() > small * 1.2)
        big = w.view.transform().m11()
        centre = QPointF(w.view.viewport().rect().center())
        wheel = QWheelEvent(centre, w.view.viewport().mapToGlobal(centre), QPoint(), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        w.view.wheelEvent(wheel)
        zoomed = w.view.transform().m11()
        w.resize(1300, 820)
        qtbot.wait(50)
        assert w.view.transform().m11() == zoomed  # the person's zoom is kept
        w.activateWindow()
        w.view.setFocus()
        qtbot.keyClick(w.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # Fit Map
        w.resize(1920, 1080)
        qtbot.waitUntil(lambda: abs(w.view.transform().m11() - big) < 1e-6)
    finally:
        discard_changes(w)
        w.close()


def _ink_in_middle(w: MainWindow) -> int:
    image = w.view.viewport().grab().toImage()
    middle = QRect(image.width() // 4, image.height() // 3, image.width() // 2, image.height() // 3)
    background = QColor(image.pixel(middle.left(), middle.top()))
    return sum(1 for x in range(middle.left(), middle.right(), 3) for y in range(middle.top(), middle.bottom(), 3)
               if QColor(image.pixel(x, y)) != background)


def test_an_empty_map_says_how_to_start_until_the_first_component(qtbot) -> None:
    w = _shown(qtbot, MainWindow(), 1280, 800)
    try:
        with_hint = _ink_in_middle(w)
        spot = w.view.mapFromScene(w.scene.to_scene(0.95, 0.05))
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        qtbot.keyClick(w.view.viewport().focusWidget() or w.view, Qt.Key.Key_Escape)
        assert len(w.document.map.components) == 1
        qtbot.wait(20)
        assert _ink_in_middle(w) < with_hint - 100  # the hint went with the first component
    finally:
        discard_changes(w)
        w.close()


def test_dark_theme_is_chosen_from_the_view_menu_and_remembered(qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    w = _shown(qtbot, MainWindow(), 1280, 800)
    try:
        w.menuBar().setFocus()
        w._theme_actions["dark"].trigger()
        assert w.scene.theme.name == "dark"
        again = MainWindow()
        qtbot.addWidget(again)
        assert again.scene.theme.name == "dark" and again._theme_actions["dark"].isChecked()
        w._theme_actions["light"].trigger()
        assert w.scene.theme.name != "dark"
    finally:
        w.set_theme_choice("system")
        QGuiApplication.styleHints().unsetColorScheme()
        discard_changes(w)
        w.close()


def test_drawing_past_the_axis_end_does_not_rescale_the_map_under_the_pointer(qtbot) -> None:
    """A component near evolution 1 whose long label runs past the axis end grew the scene;
    scroll bars came, the view refitted and the next double-click landed ~40 px off. Now
    the fitted view takes the grown map in once, after the edit, with no scroll bars."""
    w = _shown(qtbot, MainWindow(), 1280, 800)
    try:
        before = w.view.transform().m11()
        spot = w.view.mapFromScene(w.scene.to_scene(0.5, 0.97))
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        box = w.view.viewport().focusWidget() or w.view
        box.selectAll()
        qtbot.keyClicks(box, "A component with a long name that runs past the axis end")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.wait(100)
        assert len(w.document.map.components) == 1
        # The view fits the grown map once, after the edit (issue 14: the label was cut
        # off at the view's edge until Fit Map), and no scroll bars come and go.
        assert w.view.transform().m11() <= before
        label = w.scene.item_for_id(w.document.map.components[0].id).label_rect()
        assert w.view.mapToScene(w.view.viewport().rect()).boundingRect().contains(label)
        assert not w.view.horizontalScrollBar().isVisible()
        # The next double-click lands where the pointer is.
        spot = w.view.mapFromScene(w.scene.to_scene(0.58, 0.66))
        qtbot.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        qtbot.keyClick(w.view.viewport().focusWidget() or w.view, Qt.Key.Key_Escape)
        second = w.document.map.components[-1]
        assert (round(second.visibility, 2), round(second.evolution, 2)) == (0.58, 0.66)
    finally:
        discard_changes(w)
        w.close()
