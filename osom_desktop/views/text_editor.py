"""The map as OWM text, kept in step with the Document both ways.

Typing re-parses the text after a short pause and, if the map really differs, pushes
one ReplaceMapCommand (ids kept by ``reconcile``). A change made elsewhere (canvas,
inspector, undo) edits only the lines of the elements it names (``owm.incremental``):
a drag, rename, add or undo on a 5,000-component map costs a few lines of text, not a
60 ms rewrite, and the cursor and scroll stay where they were. What that cannot do
exactly (a new map, pipelines, the person's own wording) writes the whole map and
replaces the run of lines that differs.
Diagnostics are underlined on their lines and listed below (from the moment a file is
opened, not only after the first edit); clicking one goes there. ``problems_summary``
words them for the status bar by kind: only a line the parser could not place is
"not understood"; a position off the map was understood (it is drawn, off the map).

One undo history: the Document's stack. The text box keeps none of its own
(``setUndoRedoEnabled(False)``): its history also held every line the map rewrote (each
step of a drag, each undo), so Ctrl+Z there brought back lines Edit > Undo had taken away
and, through the re-parse, pushed a new edit that emptied Redo. Ctrl+Z, Ctrl+Shift+Z and
Ctrl+Y in the box, and its context menu's Undo and Redo, are ``undo``/``redo`` here, as
Edit > Undo and Redo are. Typing still waiting for its parse is applied first and is the
step undone; if it changed nothing in the map, Undo puts the text back as the map reads.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QStyle,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.commands import ReplaceMapCommand, run
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError
from osom_desktop.owm import Diagnostic, parse_owm
from osom_desktop.owm.incremental import LineEdit, TextLines
from osom_desktop.owm.ranges import OFF_THE_MAP
from osom_desktop.owm.reconcile import reconcile
from osom_desktop.views.document_panel import DocumentPanel

PARSE_DELAY_MS = 400  # re-parse after the typist pauses, not on every key


class MapTextEditor(DocumentPanel, QWidget):
    """OWM text editor with a diagnostics list. ``diagnostics_changed`` carries the count."""

    diagnostics_changed = Signal(int)
    error_raised = Signal(str)

    def __init__(self, document: Document, stack: QUndoStack, filename: str = "map", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.stack = stack
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []
        # The text as last written whole (or typed), for the run-of-lines diff of a
        # full rewrite; None after line edits (then read from the editor if needed).
        self._lines: list[str] | None = []
        # The writer's lines and the slot of each: turns a Document change into a few
        # line edits. Forgotten while the text is the person's own wording.
        self._text = TextLines()
        self._applying_text = False  # True while our own edit flows through the Document

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("owmText")
        # Long lines (labels, links with context) wrap in the narrow pane: a sideways
        # scroll hid the line's start and stayed scrolled after the cursor moved on.
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(font)
        self.editor.setTabChangesFocus(False)
        # No history of its own: the Document's stack is the one history (see above).
        self.editor.setUndoRedoEnabled(False)
        self.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.editor.customContextMenuRequested.connect(self._context_menu)
        self._opaque_scroll_bar()
        self.problems = QListWidget()
        self.problems.setObjectName("owmDiagnostics")
        self.problems.setMaximumHeight(110)
        # Whole messages in the narrow pane: cut at the pane's edge, the end of "... is
        # off the map (positions run from 0 to 1)" was only seen by scrolling sideways.
        self.problems.setWordWrap(True)
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.problems.itemClicked.connect(self._go_to_problem)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.editor)
        split.addWidget(self.problems)
        split.setStretchFactor(0, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)
        self._timer.timeout.connect(self.apply_text)
        # After the map rewrote the text (an undo, a canvas edit) the problems listed
        # may be gone or back: checked again off the edit's path, not per keystroke.
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(PARSE_DELAY_MS)
        self._recheck.timeout.connect(self._recheck_diagnostics)
        self.editor.textChanged.connect(self._on_text_changed)
        # Leaving the editor (say, to drag on the canvas) applies what was typed first,
        # so a canvas edit never overwrites text still waiting to be parsed.
        self.editor.installEventFilter(self)
        self._follow(document, stack)
        self._show_map(initial=True)

    # -- document -> text ------------------------------------------------------------

    def set_document(self, document: Document, stack: QUndoStack | None = None, filename: str = "map") -> None:
        self.filename = filename
        super().set_document(document, stack)

    def _opaque_scroll_bar(self) -> None:
        """The scroll bar's strip fills its own background. A line added or a line
        that wraps anew changes the bar's range, and Qt repainted the strip through
        every widget beneath it (the window, the dock, whose title bar looked up its
        icons again, the splitter, the pane's frame): ~3 % of an added component's
        instructions at 5,000 components. Not where the style lays the bar over the text as it
        fades in and out (macOS): filled, it would hide the text's end."""
        if self.editor.style().styleHint(QStyle.StyleHint.SH_ScrollBar_Transient, None, self.editor):
            return
        bar = self.editor.verticalScrollBar()
        strip = bar.parentWidget()
        for widget in (strip, bar):
            if widget is not None:
                widget.setAutoFillBackground(True)

    def _document_replaced(self) -> None:
        self._show_map(initial=True)

    def _on_document_changed(self, change: Change) -> None:
        if self._applying_text or change.what in ("service", "contract", "decisions", "assessments", "contract_changes"):
            return
        edits = self._text.update(self.document.map, change.what, change.ids)
        if edits is None:
            self._show_map()
            return
        self._timer.stop()
        self._apply_line_edits(edits)
        self._lines = None
        if self.diagnostics:
            # The edit may have fixed the line a problem was on, or an undo brought one
            # back: looked at again off the edit's path. With none listed there is
            # nothing to clear, and the writer's own lines make none.
            self._recheck.start()

    def _apply_line_edits(self, edits: list[LineEdit]) -> None:
        """Make the line edits through one cursor: the person's cursor and selection
        move with the text around them, and the line at the top of the pane stays at
        the top (the pane scrolls by lines: a line added or removed above it would
        shift what the person is reading by one)."""
        if not edits:
            return
        doc = self.editor.document()
        layout = doc.documentLayout()
        bar = self.editor.verticalScrollBar()
        top = self.editor.firstVisibleBlock().blockNumber()
        # The last line in view, and one more: a line added just under the last one
        # shows when the text is shorter than the pane.
        viewport = self.editor.viewport()
        bottom = self.editor.cursorForPosition(QPoint(0, max(0, viewport.height() - 1))).blockNumber() + 1
        size = layout.documentSize()
        shift = 0
        in_view = False  # an edit on a line in view or above it (``shift`` lines counted)
        cursor = QTextCursor(doc)
        keep = QTextCursor.MoveMode.KeepAnchor
        # Each line is its own change, not one edit block: a rename rewrites its line
        # and its links' lines thousands of lines apart, and one block spanning them
        # made Qt drop the layout of every line between (~1.5 ms at 5,000 components)
        # and repaint the whole pane. The layout's signals wait until the end: a line
        # added or removed made Qt repaint the whole pane even when every edit lay
        # below what it shows (the text in view is the same); the pane repaints when
        # an edit reaches what it shows, and the scroll bar follows the new length.
        self.editor.blockSignals(True)
        layout.blockSignals(True)
        try:
            for e in edits:
                if e.line <= bottom + shift:
                    in_view = True
                block = doc.findBlockByNumber(e.line)
                # An edit block of one line: outside one, each move of the cursor laid
                # the line out to find the cursor's x (a tenth of a rename's instructions
                # at 5,000 components), for a cursor nobody sees.
                cursor.beginEditBlock()
                try:
                    cursor.setPosition(block.position())
                    if e.op == "replace":
                        cursor.setPosition(block.position() + block.length() - 1, keep)
                        cursor.insertText(e.text)
                    elif e.op == "insert":
                        cursor.insertText(e.text + "\n")
                        if e.line <= top + shift:
                            shift += 1
                    else:
                        cursor.setPosition(block.next().position(), keep)
                        cursor.removeSelectedText()
                        if e.line < top + shift:
                            shift -= 1
                finally:
                    cursor.endEditBlock()  # an edit block left open would hold every later change back
        finally:
            layout.blockSignals(False)
            self.editor.blockSignals(False)
        if layout.documentSize() != size:
            layout.documentSizeChanged.emit(layout.documentSize())
        if in_view:
            viewport.update()
        if shift and top > 0:
            bar.setValue(bar.value() + shift)

    def _show_map(self, initial: bool = False) -> None:
        text = self._text.full(self.document.map)
        new_lines = text.split("\n")
        old_lines = self._lines if self._lines is not None else self.editor.toPlainText().split("\n")
        self._lines = new_lines
        self._timer.stop()
        self.editor.blockSignals(True)
        try:
            if initial or not old_lines:
                self.editor.setPlainText("\n".join(new_lines))
                self._set_diagnostics([])
                # A file may hold lines the reader complains about (kept as written, or
                # off the map): listed once the window is up, off the opening's path.
                if len(new_lines) > 1 or new_lines[0]:
                    self._recheck.start()
            else:
                self._replace_changed_lines(old_lines, new_lines)
                self._recheck.start()
        finally:
            self.editor.blockSignals(False)

    def _recheck_diagnostics(self) -> None:
        if self._timer.isActive():
            return  # the person is typing: apply_text will list the problems
        self._set_diagnostics(parse_owm(self.editor.toPlainText(), filename=self.filename).diagnostics)

    def _replace_changed_lines(self, old: list[str], new: list[str]) -> None:
        """Replace only the run of lines that differs (common head and tail kept)."""
        head, tail = _common_ends(old, new)
        if head == len(old) == len(new):
            return
        doc = self.editor.document()
        doc_end = doc.characterCount() - 1  # the final paragraph separator is not text

        def pos(line: int) -> int:
            return doc.findBlockByNumber(line).position()

        replacement = new[head : len(new) - tail]
        if tail > 0:  # the run ends before a kept line: every replaced line ends in "\n"
            start, end = pos(head), pos(len(old) - tail)
            text = "".join(line + "\n" for line in replacement)
        elif head < len(old):  # the run reaches the end of the text
            start, end = pos(head), doc_end
            text = "\n".join(replacement)
            if not replacement and head > 0:
                start -= 1  # drop the newline before the deleted last lines too
        else:  # lines appended after the last one
            start, end = doc_end, doc_end
            text = "\n" + "\n".join(replacement)
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)

    # -- text -> document ------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # getattr: Qt may still deliver events while Python tears the widget down.
        if watched is getattr(self, "editor", None) and isinstance(event, QKeyEvent):
            history = _history_key(event)
            if history is not None:
                if event.type() == QEvent.Type.ShortcutOverride:
                    # Taken here, not by the window's Undo/Redo shortcut: the same
                    # either way, and the pane works outside a window too.
                    event.accept()
                    return True
                if event.type() == QEvent.Type.KeyPress:
                    if self.editor.isReadOnly():
                        pass  # a read-only copy changes nothing, nor goes back
                    elif history == "undo":
                        self.undo()
                    else:
                        self.redo()
                    return True
        if watched is getattr(self, "editor", None) and event.type() == QEvent.Type.FocusOut and self._timer.isActive():
            if event.reason() == Qt.FocusReason.ActiveWindowFocusReason:
                # The window lost its activation: another window, a dialog, or the window
                # being destroyed (Qt deactivates it from inside its C++ destructor, and
                # applying then pushed an undo step and told every panel of a half-deleted
                # window). Applied on the next turn of the event loop, tied to this pane:
                # dropped if the pane is deleted first.
                QTimer.singleShot(0, self, self.flush)
            else:
                self.apply_text()
        return super().eventFilter(watched, event)

    def flush(self) -> None:
        """Apply typed text now if it is waiting (before saving, exporting, closing)."""
        if self._timer.isActive():
            self.apply_text()

    def _on_text_changed(self) -> None:
        self._timer.start()

    # -- one undo history ------------------------------------------------------------

    def undo(self) -> None:
        """Undo the Document's last step. Typing still waiting for its parse is that
        step: applied, then undone as one; or, if it changed nothing in the map (spaces,
        say), the text is put back as the map reads and nothing else is undone."""
        if self.stack is None:
            return
        if self._timer.isActive() and not self.apply_text():
            self._show_map()
            return
        self.stack.undo()

    def redo(self) -> None:
        """Redo the Document's next step. Typing still waiting for its parse is applied
        first: a new edit, which (as on any stack) leaves nothing to redo."""
        if self.stack is None:
            return
        if self._timer.isActive() and self.apply_text():
            return
        self.stack.redo()

    def _context_menu(self, pos: QPoint) -> None:
        """The box's own menu, its Undo and Redo being the Document's (its own history
        is off: they were always greyed)."""
        menu = self.editor.createStandardContextMenu()
        editable = not self.editor.isReadOnly() and self.stack is not None
        pending = self._timer.isActive()
        for action in menu.actions():
            if action.objectName() == "edit-undo":
                action.setEnabled(editable and (pending or bool(self.stack and self.stack.canUndo())))
                action.triggered.connect(self.undo)
            elif action.objectName() == "edit-redo":
                action.setEnabled(editable and (pending or bool(self.stack and self.stack.canRedo())))
                action.triggered.connect(self.redo)
        menu.exec(self.editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def apply_text(self) -> bool:
        """Parse the text now; push one undoable edit if the map differs (True if so)."""
        self._timer.stop()
        text = self.editor.toPlainText()
        result = parse_owm(text, filename=self.filename)
        self._set_diagnostics(result.diagnostics)
        new_map = reconcile(self.document.map, result.map)
        self._lines = text.split("\n")
        self._text.forget()  # the person's wording: the next canvas edit writes the map afresh
        if new_map == self.document.map or self.stack is None:
            return False
        self._applying_text = True
        try:
            return run(self.stack, ReplaceMapCommand(self.document, new_map))
        except OsomError as exc:
            self.error_raised.emit(str(exc))
            return False
        finally:
            self._applying_text = False

    # -- diagnostics -----------------------------------------------------------------

    def _set_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        self.problems.clear()
        selections = []
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#d0342c"))
        doc = self.editor.document()
        for d in self.diagnostics:
            item = QListWidgetItem(f"line {d.line}: {d.message}")
            item.setData(Qt.ItemDataRole.UserRole, d.line)
            self.problems.addItem(item)
            block = doc.findBlockByNumber(d.line - 1)
            if block.isValid():
                sel = QTextEdit.ExtraSelection()
                sel.format = fmt
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor
                selections.append(sel)
        self.editor.setExtraSelections(selections)
        opening = bool(self.diagnostics) and self.problems.isHidden()
        self.problems.setVisible(bool(self.diagnostics))
        if opening and self.editor.hasFocus():
            # The list takes room from the text once laid out: keep the line being typed
            # in sight (it went under the list when the last line was the bad one).
            # The editor as context: the call is dropped if the pane is deleted first.
            QTimer.singleShot(0, self.editor, self.editor.ensureCursorVisible)
        self.diagnostics_changed.emit(len(self.diagnostics))

    def problems_summary(self) -> str:
        """The diagnostics in a few words, by kind, each counted by line: "1 line not
        understood", "1 position off the map", "2 lines with a problem"; "" if none.
        The status bar said "1 line(s) not understood" for ``component X [2, -5]``,
        which was read and drawn (only off the map)."""
        return summarise_problems(self.diagnostics)

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        self.go_to_line(int(item.data(Qt.ItemDataRole.UserRole)))

    def go_to_line(self, line: int) -> None:
        block = self.editor.document().findBlockByNumber(max(0, line - 1))
        if block.isValid():
            self.editor.setTextCursor(QTextCursor(block))
            self.editor.centerCursor()
            self.editor.setFocus()


_CTRL_Y = QKeySequence("Ctrl+Y")




def summarise_problems(diagnostics: list[Diagnostic]) -> str:
    """``problems_summary`` for a list: a line counts once, under its worst kind."""
    unread = {d.line for d in diagnostics if d.severity == "error"}
    off_map = {d.line for d in diagnostics if d.message.endswith(OFF_THE_MAP)} - unread
    other = {d.line for d in diagnostics} - unread - off_map
    parts = [
        _count(len(unread), "line", "not understood"),
        _count(len(other), "line", "with a problem"),
        _count(len(off_map), "position", "off the map"),
    ]
    return ", ".join(p for p in parts if p)


def _count(n: int, noun: str, what: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {what}" if n else ""


def _history_key(event: QKeyEvent) -> str | None:
    """"undo" for the platform's Undo keys, "redo" for its Redo keys and Ctrl+Y (Redo
    on Windows, and accepted by many Linux programs), else None."""
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    if event.matches(QKeySequence.StandardKey.Redo) or QKeySequence(event.keyCombination()) == _CTRL_Y:
        return "redo"
    return None


def _common_ends(old: list[str], new: list[str]) -> tuple[int, int]:
    """How many lines ``old`` and ``new`` share at the start, and then at the end."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail
