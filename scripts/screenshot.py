"""Screenshots of the real app window, for looking at it as a person would.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshot.py OUT.png [FILE]

Starts the app on FILE (default: the sample service) under whatever display is set
(a real X server under xvfb-run), waits for it to settle, grabs the whole screen and
quits. Optional env: OSOM_SHOT_SELECT=<component name> selects that component first;
OSOM_SHOT_DOCK=contract|guidance|assessments|findings brings that dock to the front.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from osom_desktop.app import DesktopApp


def main() -> int:
    out = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    app.setApplicationName("OSOM Desktop")
    app.setOrganizationName("OSOM")
    desktop = DesktopApp()
    if len(sys.argv) > 2:
        target = Path(sys.argv[2])
    else:
        from osom_desktop.samples import sample_file

        target = sample_file()
    desktop.open(target)
    window = desktop.windows[-1]
    window.showMaximized()

    def select() -> None:
        name = os.environ.get("OSOM_SHOT_SELECT")
        if name and (c := window.document.map.component_by_name(name)) is not None:
            window.view.select_ids([c.id])
        dock = os.environ.get("OSOM_SHOT_DOCK")
        if dock:
            getattr(window, f"{dock}_dock").raise_()

    def shoot() -> None:
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(out))
        window.stack.setClean()
        app.quit()

    QTimer.singleShot(600, select)
    QTimer.singleShot(1500, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
