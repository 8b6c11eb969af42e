"""``osom-desktop``: start the desktop app on files, a folder, or the sample service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="osom-desktop", description="OSOM Desktop")
    p.add_argument("files", nargs="*", help=".osom or .owm files to open")
    p.add_argument("--sample", action="store_true", help="open the bundled sample service")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from osom_desktop.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OSOM Desktop")
    app.setOrganizationName("OSOM")
    paths = [Path(f) for f in args.files]
    if args.sample or not paths:
        from osom_desktop.samples import sample_file

        paths = [sample_file()]
    windows = []
    for path in paths:
        window = MainWindow()
        window.open_path(path)
        window.show()
        windows.append(window)
    return app.exec()
