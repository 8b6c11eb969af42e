"""``osom-desktop``: start the desktop app on files, or on the sample service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # Qt is imported when the app starts, not by --help or --version
    from PySide6.QtWidgets import QApplication


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from osom_desktop import __version__

    p = argparse.ArgumentParser(prog="osom-desktop", description="OSOM Desktop")
    p.add_argument("files", nargs="*", help=".osom or .owm files to open, or a folder of services (network view)")
    p.add_argument("--sample", action="store_true", help="open the bundled sample service")
    p.add_argument("--version", action="version", version=f"osom-desktop {__version__}")
    p.add_argument("--install-desktop-entry", action="store_true",
                   help="add OSOM Desktop to this user's application menu and open .osom files with it (Linux)")
    p.add_argument("--uninstall-desktop-entry", action="store_true",
                   help="remove what --install-desktop-entry added")
    return p.parse_args(argv)


def startup_problem(path: Path) -> str | None:
    """Why ``path`` named on the command line cannot be opened, in one line, or None.

    Checked before any window opens, so a typo or a stale shortcut gives a message
    instead of a dialog stack (or a hang on a FIFO)."""
    import os
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        return f"{path}: no such file or folder"
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return None if os.access(path, os.R_OK | os.X_OK) else f"{path}: the folder cannot be read (permission denied)"
    if not stat.S_ISREG(st.st_mode):
        return f"{path}: not a regular file"
    if not os.access(path, os.R_OK):
        return f"{path}: cannot be read (permission denied)"
    return None


def _desktop_entry_command(args: argparse.Namespace) -> int:
    """--install-desktop-entry / --uninstall-desktop-entry: no window, no Qt."""
    from osom_desktop.desktop_entry import install_desktop_entry, uninstall_desktop_entry

    try:
        if args.uninstall_desktop_entry:
            for path in uninstall_desktop_entry():
                print(f"removed {path}")
        else:
            for line in install_desktop_entry().lines():
                print(line)
    except OSError as exc:
        print(f"osom-desktop: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _use_settings_folder() -> None:
    """Settings in an INI file in the per-user config folder (honours OSOM_HOME)."""
    from PySide6.QtCore import QSettings

    from osom_desktop.paths import user_config_dir

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(user_config_dir()))


CASCADE = 28  # px: each further window down and right of the last, its title bar in sight


def _cascade(window, last) -> None:  # noqa: ANN001 - QWidgets
    """Place a further window down and right of the last one, shrunk to stay on the
    screen: the window manager's own cascade pushed a second full-size window's bottom
    (the status bar) under a 1280x800 screen's edge. Back at the top-left corner when
    the cascade has run out of room."""
    from PySide6.QtCore import QPoint

    from osom_desktop.views.widgets import WINDOW_FRAME

    screen = last.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    at = last.frameGeometry().topLeft() + QPoint(CASCADE, CASCADE)
    space = room.bottomRight() - at - QPoint(WINDOW_FRAME.width(), WINDOW_FRAME.height())
    if space.x() < room.width() * 2 // 3 or space.y() < room.height() * 2 // 3:
        at, space = room.topLeft(), room.bottomRight() - room.topLeft() - QPoint(WINDOW_FRAME.width(), WINDOW_FRAME.height())
    window.resize(min(window.width(), space.x()), min(window.height(), space.y()))
    window.move(at)


class DesktopApp:
    """Keeps the open windows (one per document) and starts new ones on request."""

    def __init__(self) -> None:
        self.windows: list = []
        self.network_windows: list = []

    def new_window(self, path: Path | None = None):
        from osom_desktop.views.main_window import MainWindow
        from osom_desktop.views.widgets import fit_to_screen

        window = MainWindow()
        fit_to_screen(window)  # its own size, within the screen with its frame
        if self.windows:
            _cascade(window, self.windows[-1])
        window.open_requested.connect(self.open)
        window.new_requested.connect(self.new_service)
        window.network_requested.connect(lambda: self.choose_network(window))
        # A closed window leaves the list (and goes): otherwise opening its file again
        # would "raise" the closed window and show nothing.
        window.closed.connect(lambda: self._forget(window))
        self.windows.append(window)
        if path is not None and not window.open_path(path):
            self._forget(window)
            return None
        return window

    def new_service(self, name: str, folder: Path | None = None):
        """A window on a new, empty service called ``name`` (File > New asked for it)."""
        window = self.new_window()
        window.start_new_service(name, folder)
        window.show()
        return window

    def _forget(self, window) -> None:
        if window in self.windows:
            self.windows.remove(window)
            window.deleteLater()

    def open(self, path: Path) -> None:
        for w in self.windows:
            if w.path is not None and w.path.resolve() == Path(path).resolve():
                w.raise_()
                w.activateWindow()
                return
        window = self.new_window(path)
        if window is not None:
            window.show()

    def show_element(self, path: Path, element_id: str) -> None:
        """Select an element on the open map of ``path`` (a network finding names it)."""
        for w in self.windows:
            if w.path is not None and w.path.resolve() == Path(path).resolve():
                w.view.select_ids([element_id])

    def choose_network(self, parent=None):
        """Ask for a folder of service files and open the network view on it."""
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(parent, "Open Network — choose a folder of service files")
        return self.open_network(Path(folder)) if folder else None

    def open_network(self, folder: Path):
        """A network window on ``folder`` (loaded in the background); double-click opens a service."""
        from PySide6.QtCore import Qt

        from osom_desktop.views.network_window import NetworkWindow

        window = NetworkWindow(Path(folder))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.open_service_requested.connect(self.open)
        window.show_element_requested.connect(self.show_element)
        self.network_windows.append(window)
        window.destroyed.connect(lambda *_: self.network_windows.remove(window) if window in self.network_windows else None)
        window.show()
        return window

    def offer_recovery(self) -> int:
        """After a crash: offer each recovery file back; returns how many were restored."""
        from PySide6.QtWidgets import QMessageBox

        from osom_desktop.views.main_window import recovery_store

        store = recovery_store()
        restored = 0
        for entry in store.entries():
            answer = QMessageBox.question(
                None, "Recover unsaved work",
                f"OSOM Desktop closed without saving {entry.describe()}.\n\nRestore it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Ignore,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                window = restore_entry(self, store, entry)
                if window is not None:
                    window.show()
                    restored += 1
            elif answer == QMessageBox.StandardButton.Discard:
                store.discard(entry.key)
        return restored


def restore_entry(app: DesktopApp, store, entry):
    """A window holding the recovered document, marked modified, attached (and locked)
    to its file; None if it could not be restored. The recovery copy is kept until the
    window saves or autosaves (see MainWindow.restore_recovered)."""
    window = app.new_window()
    if not window.restore_recovered(entry):
        app._forget(window)
        return None
    return window


def _fewer_collections() -> Callable[[], None]:
    """Python's cycle collector runs every 700 new objects: the imports and the first
    window make ~1.5 million, and its passes were ~2.5% of the instructions before the
    first paint (issue 14). Far fewer passes until then (still bounded, should a
    recovery question wait for an answer); returns what puts the usual ones back."""
    import gc

    usual = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    return lambda: gc.set_threshold(*usual)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry_command(args)
    usual_collections = _fewer_collections()
    app = _qt_application()
    _use_settings_folder()
    desktop = DesktopApp()
    restored = desktop.offer_recovery()
    paths, problems = _startup_paths(args, restored)
    for path in paths:
        if path.is_dir():
            desktop.open_network(path)
        else:
            desktop.open(path)
    if not any(w.isVisible() for w in [*desktop.windows, *desktop.network_windows]):
        desktop.new_window().show()
    if problems:
        _show_startup_problems(desktop, problems)
    shown = [w for w in [*desktop.windows, *desktop.network_windows] if w.isVisible()]
    _after_first_frame(shown[0] if shown else None, usual_collections)
    return app.exec()


def _after_first_frame(window, callback: Callable[[], None]) -> None:
    """``callback`` once ``window`` has drawn its first frame (or in 3 s at the latest:
    a window never drawn, or none)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            callback()

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, once)  # after the frame: its children paint in the same pass
            return False

    QTimer.singleShot(3000, once)
    if window is not None:
        window._first_frame = FirstFrame(window)  # goes with the window
        window.installEventFilter(window._first_frame)


def _cheaper_pyside_module_scan() -> None:
    """PySide6 asks of every module imported after it whether its source mentions
    "PySide6" (for its opt-in ``__feature__`` switches), with ``inspect.getsource``:
    the ~300 modules the window imports cost ~45 ms of the start on a 2-core box
    (issue 14). The same question answered by reading each file's bytes costs a fifth
    of that and gives the same answers. Left alone if PySide6 has changed its insides."""
    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or getattr(scan, "__name__", "") != "_mod_uses_pyside":
        return

    def mod_uses_pyside(module: object) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not origin.endswith(".py"):
            return bool(scan(module))  # not a plain source file: PySide6's own answer
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False  # as PySide6 answers for a module without a readable source

    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[union-attr]


def _qt_application() -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from osom_desktop.paths import ICONS

    _cheaper_pyside_module_scan()

    # instance() is typed as the core application; ours is always a QApplication.
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setApplicationName("OSOM Desktop")
    app.setOrganizationName("OSOM")
    app.setDesktopFileName("osom-desktop")  # Wayland/X11 match the window to its .desktop entry
    app.setWindowIcon(QIcon(str(ICONS / "osom-desktop.svg")))
    return app


def _startup_paths(args: argparse.Namespace, restored: int) -> tuple[list[Path], list[str]]:
    """The files and folders to open, and a line for each that cannot be (also on
    stderr); the sample when nothing was asked for and nothing was recovered."""
    paths: list[Path] = []
    problems: list[str] = []
    for path in (Path(f) for f in args.files):
        problem = startup_problem(path)
        if problem is None:
            paths.append(path)
        else:
            problems.append(problem)
            print(f"osom-desktop: {problem}", file=sys.stderr)
    if args.sample or (not args.files and not restored):
        from osom_desktop.samples import sample_file

        paths = [sample_file()]
    return paths, problems


def _show_startup_problems(desktop: DesktopApp, problems: list[str]) -> None:
    """One message in the window for what could not be opened; the app stays usable."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    window = next(w for w in [*desktop.windows, *desktop.network_windows] if w.isVisible())
    box = QMessageBox(QMessageBox.Icon.Warning, "Could not open", "\n".join(problems),
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("startupProblems")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never markup
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()  # not exec(): the window behind is drawn and usable once it is dismissed
    window.statusBar().showMessage(problems[0], 15000)
