"""The notice a finished export shows: "Exported NAME", Open, Show in Folder, close.

A person-like tester missed the small "Open file · Open folder" links at the status
bar's far end, and opening a file no program was set up for failed without a word.

Why a notice in the window rather than a message box: exports come in runs (a PNG for
the slides, the pack for the board), and a modal box after each would have to be
dismissed every time, while a separate non-modal box takes the keyboard from the map
and gets lost behind the window. Browsers' download bar, VS Code's notifications, the
GNOME HIG's "in-app notification" and KDE's message widget all answer it this way: a
panel inside the window with the actions as buttons, which takes no focus and blocks
nothing. It sits over the map's bottom-right corner, goes after ``NOTICE_MS`` (not while
the pointer is on it), with Escape or its close button, and the next export replaces
it. What fails (the file cannot be opened) is said in a dialog, as every export failure
is (issue 11).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

NOTICE_MS = 20_000  # how long the notice stays when the pointer is not on it
MARGIN = 12  # from the map's corner, in pixels


class ExportNotice(QFrame):
    """One window's notice of its last export (``show_for`` makes and places it)."""

    def __init__(self, window: QWidget, path: Path) -> None:
        super().__init__(window)
        self.setObjectName("exportNotice")
        self.path = path
        self._window = window
        central = window.centralWidget() if isinstance(window, QMainWindow) else None
        self._anchor: QWidget = central if central is not None else window
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # showing it takes the keyboard from nothing
        self.setStyleSheet("QFrame#exportNotice { background: palette(window); border: 1px solid palette(mid);"
                           " border-radius: 6px; }")
        title = QLabel(f"Exported {path.name}")
        title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        where = QLabel(title.fontMetrics().elidedText(f"in {path.parent}", Qt.TextElideMode.ElideMiddle, 380))
        where.setTextFormat(Qt.TextFormat.PlainText)
        where.setToolTip(str(path))
        # No mnemonics: Alt+letters belong to the menus and the docks' fields ("User nee&ds"
        # took Alt+D from "Show in Fol&der" on a real display, and brought the Contract dock up).
        self.open_button = self._button("Open", "Open the file with the program your system uses for it", self.open_file)
        self.folder_button = self._button("Show in Folder", "Open the folder it is in", self.open_folder)
        close = self._button("\u00d7", "Close (Esc)", self.dismiss)
        close.setObjectName("closeNotice")
        close.setFlat(True)
        close.setFixedWidth(close.sizeHint().height())
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(title)
        texts.addWidget(where)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 6, 8)
        row.addLayout(texts, 1)
        for widget in (self.open_button, self.folder_button, close):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTICE_MS)
        self._timer.timeout.connect(self.dismiss)
        self._anchor.installEventFilter(self)
        # Escape from anywhere in the window: the notice never takes the keyboard, so its
        # own keyPressEvent only hears Escape after a Tab into its buttons. A shortcut of a
        # hidden widget is inactive, so once the notice is gone Escape is the map's again.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WindowShortcut)
        escape.activated.connect(self.dismiss)

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click does not take the keyboard from the map
        button.clicked.connect(slot)
        return button

    @classmethod
    def show_for(cls, window: QWidget, path: Path) -> ExportNotice:
        """Show the notice for ``path`` in ``window``, in place of the one before."""
        old = getattr(window, "_export_notice", None)
        if old is not None:
            old.dismiss()
            old.deleteLater()
        notice = cls(window, Path(path).resolve())
        window._export_notice = notice  # type: ignore[attr-defined]  # the window's one notice
        notice.adjustSize()
        notice.place()
        notice.show()
        notice.raise_()
        notice._timer.start()
        return notice

    def place(self) -> None:
        """Over the map's bottom-right corner (or the window's, without a map)."""
        box = self._anchor.geometry() if self._anchor is not self._window else self._window.rect()
        size = self.sizeHint().boundedTo(box.size())
        self.resize(size)
        self.move(box.right() - size.width() - MARGIN + 1, box.bottom() - size.height() - MARGIN + 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._anchor and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.place()
        return False

    def enterEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.stop()  # not taken away while the person reaches for it
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.isVisible():
            self._timer.start()
        super().leaveEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return
        super().keyPressEvent(event)

    def dismiss(self) -> None:
        """Hide it; the keyboard goes back to the map if it was here."""
        self._timer.stop()
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.hide()
        if had_focus:
            self._anchor.setFocus(Qt.FocusReason.OtherFocusReason)
        if getattr(self._window, "_export_notice", None) is self:
            self._window._export_notice = None

    def open_file(self) -> None:
        self._open(self.path, "could not be opened: no program to open it is set up on this computer")

    def open_folder(self) -> None:
        self._open(self.path.parent, "could not be shown: no file manager is set up on this computer")

    def _open(self, target: Path, failed: str) -> None:
        self.dismiss()
        if not target.exists():
            failed = "is no longer there (moved or deleted since the export)"
        elif QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            return
        QMessageBox.warning(self._window, "OSOM Desktop", f"{target.name or target} {failed}.\n\nIt is at {target}")
