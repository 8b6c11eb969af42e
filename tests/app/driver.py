"""Runs the real app (``osom_desktop.app.main``) with a script of steps a person would
take, for tests that kill it with SIGKILL and start it again.

    python -m tests.app.driver '<json list of steps>' [app arguments...]

Steps run one after another, each as soon as it can (a step waiting for a dialog
polls every 30 ms). After each step the driver prints ``["done", index, kind]``;
``report`` prints ``["windows", [...]]``. Steps:

- ``["answer", "Yes"]``: wait for a message box, print ``["asked", text]``, click that button
- ``["window"]``: wait until a document window is on screen
- ``["type_purpose", "text"]``: click into the Contract's Purpose field and type (no commit)
- ``["click_map"]``: click an empty corner of the map (the field typed in loses focus and commits)
- ``["sleep", ms]``
- ``["save"]``, ``["quit"]``: File > Save, File > Quit (dialogs they open: ``answer``)
- ``["report"]``: the open document windows (path, purpose, read-only, modified)
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from osom_desktop.app import main


def say(*parts: object) -> None:
    print(json.dumps(parts), flush=True)


def document_windows() -> list:
    from osom_desktop.views.main_window import MainWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


class Script:
    def __init__(self, steps: list[list]) -> None:
        self.steps = steps
        self.i = 0
        self.started: float | None = None
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        if self.i >= len(self.steps):
            return
        kind, *args = self.steps[self.i]
        if self.started is None:
            self.started = time.monotonic()
        if getattr(self, f"do_{kind}")(*args):
            say("done", self.i, kind)
            self.i += 1
            self.started = None

    def later(self, action) -> bool:
        # Actions that may open a modal dialog run after this step is counted done, so
        # the next step (answering it) runs inside the dialog's own event loop.
        QTimer.singleShot(0, action)
        return True

    def do_answer(self, button_text: str) -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        say("asked", box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return True
        say("no button", button_text, [b.text() for b in box.buttons()])
        return False

    def do_window(self) -> bool:
        return bool(document_windows()) and QApplication.activeModalWidget() is None

    def do_type_purpose(self, text: str) -> bool:
        w = document_windows()[-1]
        w.contract_dock.show()
        w.contract_dock.raise_()
        field = w.contract.purpose
        QTest.mouseClick(field.viewport(), Qt.MouseButton.LeftButton)
        field.setFocus()
        QTest.keyClicks(field, text)
        return True

    def do_click_map(self) -> bool:
        w = document_windows()[-1]
        QTest.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=w.view.viewport().rect().topLeft() + QPoint(5, 5))
        w.view.setFocus()
        return True

    def do_sleep(self, ms: int) -> bool:
        return (time.monotonic() - (self.started or 0)) * 1000 >= ms

    def do_save(self) -> bool:
        w = document_windows()[-1]
        return self.later(w.save)

    def do_quit(self) -> bool:
        return self.later(QApplication.closeAllWindows)

    def do_report(self) -> bool:
        say("windows", [
            {
                "path": str(w.path) if w.path else None,
                "purpose": w.document.data.contract.purpose,
                "read_only": w.read_only,
                "modified": w.isWindowModified(),
            }
            for w in document_windows()
        ])
        return True


if __name__ == "__main__":
    steps = json.loads(sys.argv[1])
    app = QApplication.instance() or QApplication(sys.argv[:1])
    script = Script(steps)
    sys.exit(main(sys.argv[2:]))
