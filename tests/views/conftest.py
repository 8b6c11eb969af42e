"""Fixtures for driving the real main window offscreen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own recovery folder and settings (recent files, layout)."""
    monkeypatch.setenv("OSOM_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


# A modal dialog nobody answers (a test's own poller gave up, or typed into the wrong
# widget) runs its event loop for ever, and no Python timeout can break into it: the
# whole run hangs until CI's limit. Past this long, the dialog is closed and the test fails.
MODAL_LIMIT_S = 60.0


@pytest.fixture(autouse=True)
def _no_dialog_left_open(qapp) -> Iterator[None]:
    stuck: list[str] = []
    watched: dict[str, object] = {"dialog": None, "since": 0.0}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is not watched["dialog"]:
            watched["dialog"], watched["since"] = dialog, time.monotonic()
            return
        if time.monotonic() - float(watched["since"]) > MODAL_LIMIT_S:  # type: ignore[arg-type]
            stuck.append(dialog.windowTitle() or type(dialog).__name__)
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()

    watchdog = QTimer()
    watchdog.timeout.connect(look)
    watchdog.start(1000)
    yield
    watchdog.stop()
    if stuck:
        pytest.fail(f"a modal dialog stayed open over {MODAL_LIMIT_S:.0f} s and was closed: {stuck}")


@pytest.fixture
def answer_dialog(qtbot, request: pytest.FixtureRequest) -> Callable[[str], list[str]]:
    """Click the button labelled ``text`` on the next modal message box, like a person.

    Returns a list that receives the text of each box answered, so a test can assert
    that the prompt really appeared.
    """
    seen: list[str] = []
    # Looks again every 20 ms until a box opens, but only until this test is torn down
    # (its windows' closing prompts included): a box that never opened left the poller
    # running into the next tests, where it answered their boxes or failed inside their
    # event loops.
    armed = [True]
    request.node.stash[_ARMED] = armed

    def arm(button_text: str) -> list[str]:
        def click() -> None:
            if not armed[0]:
                return
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, click)
                return
            seen.append(box.text())
            for button in box.buttons():
                if button.text().replace("&", "") == button_text:
                    button.click()
                    return
            raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

        QTimer.singleShot(20, click)
        return seen

    return arm


_ARMED = pytest.StashKey[list[bool]]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    yield  # every fixture finalised: windows closed, their prompts answered
    armed = item.stash.get(_ARMED, None)
    if armed is not None:
        armed[0] = False


def open_map_window(qtbot, folder: Path, name: str, owm: str, size: tuple[int, int] = (1280, 800)):
    """A real service file holding ``owm``'s map, opened in a shown MainWindow of ``size``."""
    from osom_desktop.model import ServiceDocument
    from osom_desktop.owm import parse_owm
    from osom_desktop.storage import save_document
    from osom_desktop.views.main_window import MainWindow

    doc = ServiceDocument()
    doc.service.name = name
    doc.map = parse_owm(owm).map
    path = folder / f"{name.lower()}.osom"
    save_document(doc, path)
    w = MainWindow()
    assert w.open_path(path)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def settled(qtbot, w) -> None:  # noqa: ANN001 - a MainWindow
    """Until the docks have their widths (the canvas narrows once after opening)."""
    widths: list[int] = []

    def steady() -> bool:
        widths.append(w.view.viewport().width())
        return len(widths) > 3 and len(set(widths[-4:])) == 1

    qtbot.waitUntil(steady, timeout=3000)


def discard_changes(window) -> None:  # noqa: ANN001 - a MainWindow
    """So a close (qtbot's teardown too) does not stop at the unsaved-changes prompt."""
    window.stack.setClean()
    window._force_modified = False


def close_discarding(window) -> None:  # noqa: ANN001 - a MainWindow
    """Close a window without its unsaved-changes question (the test's edits are dropped)."""
    discard_changes(window)
    window.close()
    window.deleteLater()


def scene_point(window, visibility: float, evolution: float) -> QPoint:
    """Where on the view's viewport a map position is drawn."""
    return window.view.mapFromScene(window.scene.to_scene(visibility, evolution))


def press_drag_release(qtbot, widget, start: QPoint, end: QPoint, steps: int = 6) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(widget, pos=QPoint(int(p.x()), int(p.y())))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)
