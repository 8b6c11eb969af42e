"""The main window: one service document, its map on the canvas, text and inspector docks.

One window per document (as a person opens several services side by side). The window
owns the document's session: undo stack, lock file, autosave to the recovery folder,
and the file's on-disk stamp so saving over someone else's change asks first.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.commands import RemoveElementsCommand, ReplaceMapCommand
from osom_desktop.drawing.map_scene import MapScene
from osom_desktop.model.document import Change, Document
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import ServiceDocument
from osom_desktop.paths import user_data_dir
from osom_desktop.session.disk_stamp import DiskStamp  # noqa: F401 - where callers found it before
from osom_desktop.session.document_session import DocumentSession
from osom_desktop.session.lock import LockOwner
from osom_desktop.session.recovery import RecoveryEntry, RecoveryStore
from osom_desktop.session.snapshot import SnapshotCache
from osom_desktop.views import main_actions, main_docks, main_export
from osom_desktop.views.main_actions import WindowActions
from osom_desktop.views.main_docks import WindowDocks
from osom_desktop.views.map_view import MapView

# OSOM_AUTOSAVE_MS: tests (and people on slow shared drives) can change how often.
AUTOSAVE_MS = int(os.environ.get("OSOM_AUTOSAVE_MS") or 5_000)
MAX_RECENT = 10
SCREEN_FONT_BOOST = 2.0  # scene pixels added to the map's labels on screen (see MapScene)
OPENABLE = "Service files and OWM maps (*.osom *.owm *.wm *.txt);;Service files (*.osom);;OWM maps (*.owm *.wm *.txt)"


def recovery_store() -> RecoveryStore:
    return RecoveryStore(Path(os.environ.get("OSOM_RECOVERY_DIR") or user_data_dir() / "recovery"))


class MainWindow(QMainWindow, WindowActions, WindowDocks):
    """``open_requested(path)`` asks the app for another window on that file.

    Its actions and menus are built by ``main_actions``, its docks by ``main_docks``.
    """

    open_requested = Signal(Path)
    new_requested = Signal(str, object)  # File > New: the name asked for, the folder Save offers (or None)
    network_requested = Signal()
    closed = Signal()  # the window closed for good (the app forgets it)
    autosave_finished = Signal(object)  # error message or None; emitted from the writer thread

    @property
    def path(self) -> Path | None:
        return self.session.path

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.document = document or Document()
        self.stack = QUndoStack(self)
        self.read_only = False
        # The file, its lock, on-disk stamp and recovery copy (see DocumentSession).
        self.session = DocumentSession(recovery_store())
        # Counts the document's changes: an autosave is due when it moved since the last.
        self._edits = 0
        self._snapshots = SnapshotCache()  # autosave re-copies only what changed
        # An imported OWM map is unsaved work even before the first edit.
        self._force_modified = False
        self.new_folder: Path | None = None  # a new service: where Save offers to put it
        self.named_new = False  # a new service the person named (File > New): not replaced by Open

        self.scene = MapScene(self.document, font_boost=SCREEN_FONT_BOOST, screen=True)
        self.view = MapView(self.scene, self.stack)
        self.setCentralWidget(self.view)
        self.directory = ServiceDirectory()
        main_docks.build_docks(self)  # text, inspector, contract, guidance, ... (main_docks)
        self.findings.element_activated.connect(self.go_to_element)
        self.findings.part_activated.connect(self._go_to_part)
        self.findings.count_changed.connect(self._show_findings_count)
        self.view.service_file = self._service_file
        self.view.open_service_requested.connect(self.open_requested.emit)

        self._coords = QLabel()
        self._coords.setTextFormat(Qt.TextFormat.PlainText)
        self._coords.setMinimumWidth(260)
        self._problems = QLabel()
        self._problems.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self._problems)
        self.statusBar().addPermanentWidget(self._coords)

        main_actions.build_actions(self)
        main_actions.build_menus(self)
        self._connect()
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.resizeDocks([self.text_dock], [main_docks.DOCK_WIDTH], Qt.Orientation.Horizontal)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        main_docks.restore_layout(self)
        self._update_title()

    # -- construction -------------------------------------------------------------------

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        main_docks.follow_focus(self, old, new)  # a method: the connection ends with the window

    def _refresh_undo_actions(self, *_args) -> None:
        main_actions.refresh_undo_actions(self)  # a method: the stack's connections end with the window

    def _connect(self) -> None:
        self.stack.cleanChanged.connect(self._on_clean_changed)
        main_actions.watch_stack(self)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: self._apply_theme())
        self._apply_theme()
        self.view.message_shown.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.autosave_finished.connect(self._on_autosave_finished)
        self.view.cursor_moved.connect(self._show_cursor)
        self.view.position_shown.connect(self._coords.setText)
        self.view.selection_changed.connect(self._on_selection_changed)
        for source in (self.view, self.text):  # the panels built later: main_docks
            source.error_raised.connect(self.show_error)
        self.text.diagnostics_changed.connect(self._show_problem_count)
        self.document.changed.connect(self._on_document_changed)
        self.document.subscriber_failed.connect(self._on_subscriber_failed)

    def _on_subscriber_failed(self, failure) -> None:
        """A panel failed to follow an edit (a bug, logged with its traceback): the edit
        itself was made and can be undone; say that a panel may be showing stale data."""
        self.statusBar().showMessage(f"A panel could not show the last change ({failure.subscriber}); "
                                     "the change was made. Details are in the log.", 10000)

    # -- document lifecycle ---------------------------------------------------------------

    def set_document(self, data: ServiceDocument, path: Path | None) -> None:
        """Show ``data`` in this window (after a successful open)."""
        self.document.changed.disconnect(self._on_document_changed)
        self.document = Document(data)
        self.stack.clear()
        self.scene = MapScene(self.document, font_boost=SCREEN_FONT_BOOST, screen=True)
        self.view.set_map_scene(self.scene, self.stack)
        self._apply_theme()
        self.text.set_document(self.document, self.stack, filename=path.name if path else "map")
        for panel in self.built_panels():  # one built later starts from this document
            panel.set_document(self.document, self.stack)
        if (assessments := self.built_panel("assessments")) is not None:
            assessments.source_path = str(path) if path else None  # named in exported reports
        self.findings.set_document(self.document)
        self.document.changed.connect(self._on_document_changed)
        self.document.subscriber_failed.connect(self._on_subscriber_failed)
        self.session.attach(path)  # releases the previous file's lock and recovery copy
        self.new_folder, self.named_new = None, False
        # The folder's other services are read after the window has drawn the map:
        # on a shared drive with hundreds of files this takes a while.
        self.directory = ServiceDirectory()
        from osom_desktop.views.directory_loader import after_first_paint  # its thread must not delay the paint

        after_first_paint(self.view.viewport(), self._after_first_paint)
        self._edits = 0
        self._snapshots = SnapshotCache()
        self._force_modified = False
        self.set_read_only(False)
        self._update_title()

    def _after_first_paint(self) -> None:
        self._remember_opened()  # before the scan, which reads the recent files too
        self.refresh_directory()
        main_docks.build_rest(self)  # the panels behind their tabs, one per turn of the event loop

    def start_new_service(self, name: str, folder: Path | None = None) -> None:
        """An empty service called ``name`` (File > New asked for it); Save offers a file
        named after it in ``folder``."""
        from osom_desktop.views.new_service import new_service_document

        self.set_document(new_service_document(name), None)
        self.new_folder, self.named_new = folder, True

    def open_path(self, path: Path, *, ask_when_locked: bool = True) -> bool:
        """Open an .osom file (or OWM text, as a new unsaved service)."""
        path = Path(path)
        from osom_desktop.storage import ChangedOutsideError

        try:
            data, from_owm = _load(path)
        except ChangedOutsideError as exc:
            answer = QMessageBox.warning(
                self, "File changed outside OSOM Desktop",
                f"{exc}\n\nIf you or a colleague edited it with another program on purpose, open it anyway. "
                "Otherwise it may be damaged: open a copy from a backup or the email it came in.",
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Open:
                return False
            try:
                data, from_owm = _load(path, verify=False)
            except OsomError as exc2:
                self.show_error(str(exc2), dialog=True)
                return False
        except OsomError as exc:
            self.show_error(str(exc), dialog=True)
            return False
        if from_owm:
            self.set_document(data, None)
            self._mark_unsaved()  # an import is unsaved work until saved as .osom
            self.statusBar().showMessage(f"Imported {path.name}: save it as a service file to keep it", 8000)
            return True
        claimed = self._claim_lock(path, ask=ask_when_locked)
        if claimed is None:
            return False
        lock, read_only = claimed
        self.set_document(data, path)
        self.session.attach(path, lock, read_only=read_only)
        self.set_read_only(read_only)
        # Written to the settings after the map is drawn: the settings file is replaced
        # and synced to disk (8-25 ms before the first paint on a busy 2-core box).
        self._remember_opened()  # another file opened here before the first paint
        self._unremembered: Path | None = path
        return True

    def _remember_opened(self) -> None:
        path, self._unremembered = getattr(self, "_unremembered", None), None
        if path is not None:
            remember_recent(path)

    def _claim_lock(self, path: Path, *, ask: bool = True):
        """(lock, read_only) for ``path``, asking what to do when someone else has it
        open; None if the person cancelled."""
        lock, other = self.session.try_lock(path)
        if other is None:
            return lock, False
        if not ask:
            return lock, True
        box = QMessageBox(QMessageBox.Icon.Warning, "File in use",
                          f"{path.name} is already open by {other.describe()}.", parent=self)
        box.setInformativeText(_lock_advice(other))
        ro = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Open Anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(ro)
        box.exec()
        if box.clickedButton() is ro:
            return lock, True
        if box.clickedButton() is not anyway:
            return None
        self.session.take_over(lock, other)  # their lock, and only theirs, becomes ours
        return lock, False

    def restore_recovered(self, entry: RecoveryEntry) -> bool:
        """Show a crashed session's unsaved work here, attached to its file and locked.

        The recovery copy is claimed, not deleted: it stays until this window saves,
        autosaves its own copy, or the person discards the work.
        """
        try:
            data = self.session.restore(entry)
        except OsomError as exc:
            self.show_error(f"Could not restore {entry.describe()} — {exc}", dialog=True)
            return False
        if data is None:
            return False  # another copy of the app is restoring it
        path = entry.document_path
        lock, read_only = None, False
        if path is not None and path.exists():
            claimed = self._claim_lock(path)
            if claimed is None:
                return False  # left for next time
            lock, read_only = claimed
        self.set_document(data, path)
        self.session.attach(path, lock, read_only=read_only)
        self.session.adopt(entry)
        self.set_read_only(read_only)
        self._mark_unsaved()
        return True

    def _mark_unsaved(self) -> None:
        self._force_modified = True
        self._update_title()

    def is_modified(self) -> bool:
        return not self.stack.isClean() or self._force_modified

    def set_read_only(self, read_only: bool) -> None:
        """Read-only: nothing can change the document, the canvas included."""
        self.read_only = read_only
        self.session.read_only = read_only
        self.view.set_read_only(read_only)
        self.text.editor.setReadOnly(read_only)
        if (inspector := self.built_panel("inspector")) is not None:  # one built later starts read-only too
            inspector.setEnabled(not read_only)
        for panel in self.built_panels():
            if panel is not inspector:
                panel.set_read_only(read_only)
        for a in self._service_edit_actions:
            a.setEnabled(not read_only)
        for a in (self.act_save, self.act_cut, self.act_paste, self.act_delete, self.act_add, self.act_link,
                  self.act_import, self.act_duplicate):
            a.setEnabled(not read_only)
        self._refresh_undo_actions()
        self._update_title()

    # -- saving ------------------------------------------------------------------------

    def save(self) -> bool:
        if self.read_only or self.path is None:
            return self.save_as()
        if self.session.changed_on_disk():
            box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk",
                              f"{self.path.name} was changed by someone else since you opened it.", parent=self)
            box.setInformativeText("Overwrite it with your version, or save yours under another name?")
            overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
            save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(save_as)
            box.exec()
            if box.clickedButton() is save_as:
                return self.save_as()
            if box.clickedButton() is not overwrite:
                return False
        return self._write(self.path)

    def save_as(self) -> bool:
        from osom_desktop.views.new_service import save_start

        start = save_start(self.document.data.service.name, self.path, self.new_folder)
        name, _ = QFileDialog.getSaveFileName(self, "Save service", start, "Service files (*.osom)")
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != ".osom":
            path = path.with_suffix(".osom")
        was_read_only = self.read_only
        if not self._write(path):
            return False
        self.text.filename = path.name
        if was_read_only:
            self.set_read_only(False)
        remember_recent(path)
        self._update_title()
        # A new folder (or the first one) has other services: the provider and
        # dependency pickers list them now, not after reopening the file.
        self.refresh_directory()
        return True

    def _write(self, path: Path) -> bool:
        import contextlib

        from osom_desktop.storage import atomic

        self.text.flush()  # text typed in the last moments counts
        if (contract := self.built_panel("contract")) is not None:
            contract.flush()
        allow: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        try:  # a read-only file is replaced only when the person says so (issue 11)
            atomic.check_writable(path)
        except atomic.ReadOnlyFileError:
            if QMessageBox.question(
                self, "Read-only file", f"{path.name} is read-only. Replace it anyway? It stays read-only.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
            ) != QMessageBox.StandardButton.Yes:
                return False
            allow = atomic.replacing_read_only(path)
        notes = atomic.replace_notes(path)  # owner, group, hard links a replace cannot keep
        try:
            with allow:
                self.session.save(self.document.data, path, author=_user(), summary=self._save_summary())
        except OsomError as exc:
            self.show_error(f"Not saved — {exc}", dialog=True)
            return False
        except OSError as exc:
            self.show_error(f"Not saved — {path}: {exc.strerror or exc}", dialog=True)
            return False
        self.stack.setClean()
        self._force_modified = False
        self._update_title()
        self.statusBar().showMessage("; ".join([f"Saved {path.name}", *notes]), 10000 if notes else 4000)
        return True

    def _save_summary(self) -> str:
        texts = [self.stack.text(i) for i in range(self.stack.cleanIndex() if self.stack.cleanIndex() >= 0 else 0,
                                                    self.stack.index())]
        texts = [t for t in texts if t]
        if not texts:
            return "Saved"
        summary = "; ".join(texts[:5])
        return summary + (f" (+{len(texts) - 5} more)" if len(texts) > 5 else "")

    def autosave(self) -> bool:
        """Copy unsaved work, including text still being typed in a field, to this
        window's own recovery copy. Only a cheap snapshot is taken here; the copy is
        built and written on the recovery writer's thread, so typing never stalls.
        True if a write was started."""
        if self.read_only:
            return False
        self.text.flush()  # OWM text waiting for its parse delay: applied as it would be
        # A panel not built yet has nothing typed in it.
        contract, inspector = self.built_panel("contract"), self.built_panel("inspector")
        pending = contract.pending_edits() if contract is not None else {}
        typed = {**(inspector.pending_edits() if inspector is not None else {}), **self.view.pending_edits()}
        if not self.is_modified() and not pending and not typed:
            self.session.discard_recovery()  # e.g. undone back to the saved state
            return False
        version = (self._edits, self._force_modified,
                   tuple(sorted((part, name, text) for part, values in pending.items() for name, text in values.items())),
                   tuple(sorted((cid, name, text) for cid, values in typed.items() for name, text in values.items())))
        data = self.document.data
        return self.session.autosave(lambda: self._snapshots.take(data, pending, typed), version,
                                     self.autosave_finished.emit)

    @Slot(object)
    def _on_autosave_finished(self, error: str | None) -> None:
        if error is not None:
            self.statusBar().showMessage(f"Autosave failed: {error}", 8000)

    def _on_clean_changed(self, clean: bool) -> None:
        self._update_title()
        if clean and not self._force_modified and not self.read_only:
            self.session.discard_recovery()  # back at the saved state: nothing to recover

    # -- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.read_only:
            if (contract := self.built_panel("contract")) is not None:
                contract.flush()  # a field still being typed in counts as a change
            self.text.flush()  # so do map lines typed in the last moment (parsed after a pause)
        if self.is_modified() and not self.read_only:
            answer = QMessageBox.question(
                self, "Unsaved changes",
                # A service never saved has no file to name: "changes to X (not saved)" read oddly.
                f"Save the changes to {self.path.name} before closing?" if self.path is not None else
                f"Save the new service \N{LEFT DOUBLE QUOTATION MARK}{self.document.data.service.name}"
                f"\N{RIGHT DOUBLE QUOTATION MARK} before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        self._autosave_timer.stop()
        self._remember_opened()  # closed before its first paint: still a recent file
        # A read-only window holding restored work could not save it: it stays offered.
        self.session.close(keep_recovery=self.read_only and self._force_modified)
        self.closed.emit()
        main_docks.save_layout(self)
        event.accept()

    def set_theme_choice(self, choice: str) -> None:
        """"system", "light" or "dark": remembered for every window."""
        QSettings().setValue("theme", choice)
        hints = QGuiApplication.styleHints()
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(choice, Qt.ColorScheme.Unknown)
        hints.setColorScheme(scheme)  # the widgets' palette too (Unknown: the system's again)
        self._apply_theme()

    def _apply_theme(self) -> None:
        main_actions.apply_theme(self)

    # -- file dialogs -----------------------------------------------------------------

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open service", str(self.path.parent if self.path else Path.home()), OPENABLE)
        if name:
            self.open_or_delegate(Path(name))

    def open_or_delegate(self, path: Path) -> None:
        """Open here if this window is an untouched new document, else in a new window."""
        if self.path is None and not self.is_modified() and not self.document.map.components and not self.named_new:
            self.open_path(path)
        else:
            self.open_requested.emit(path)

    def import_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import OWM map", str(Path.home()), "OWM maps (*.owm *.wm *.txt);;All files (*)")
        if name:
            self.import_owm(Path(name))

    def import_owm(self, path: Path) -> None:
        """Replace this window's map with an OWM file's (one undo step)."""
        from osom_desktop.owm import parse_owm
        from osom_desktop.owm.textfile import read_text_file

        try:
            result = parse_owm(read_text_file(path), filename=path.name)
        except OsomError as exc:
            self.show_error(str(exc), dialog=True)
            return
        self.view.run(ReplaceMapCommand(self.document, result.map, text=f"Import {path.name}"))
        if result.errors:
            self.statusBar().showMessage(f"{len(result.errors)} lines of {path.name} were kept as written", 8000)

    # Exports (File > Export): views/main_export, which shows every failure in a dialog.

    def export_dialog(self, fmt: str) -> None:
        main_export.export_dialog(self, fmt)

    def export_to(self, path: Path, fmt: str) -> bool:
        return main_export.export_to(self, path, fmt)

    def export_pack_dialog(self) -> None:
        main_export.export_pack_dialog(self)

    def export_pack(self, path: Path) -> bool:
        """The governance pack as one HTML file or a PDF, the form following the extension."""
        return main_export.export_pack(self, path)

    def _fill_recent(self) -> None:
        main_actions.fill_recent(self, recent_files())

    # -- drag and drop -----------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(Path(u.toLocalFile()).suffix.lower() in (".osom", ".owm", ".wm") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.suffix.lower() == ".osom":
                self.open_or_delegate(path)
            elif path.suffix.lower() in (".owm", ".wm"):
                self.import_owm(path)
        event.acceptProposedAction()

    # -- edit menu ------------------------------------------------------------------------

    def copy(self) -> None:
        text = self.view.copy_text()  # components, notes, annotations, pipelines selected
        if text.strip():
            QGuiApplication.clipboard().setText(text)

    def copy_as_mermaid(self) -> None:
        """The whole map as Mermaid wardley-beta text, for a wiki or a README."""
        from osom_desktop.formats.mermaid import losses_summary, write_mermaid

        result = write_mermaid(self.document.map)
        QGuiApplication.clipboard().setText(result.text)
        self.statusBar().showMessage("; ".join(filter(None, ["Copied the map as Mermaid", losses_summary(result.losses)])),
                                     10000 if result.losses else 4000)

    def copy_map_image(self) -> None:
        """The whole map as a picture, drawn like the PNG export, for a slide or an email."""
        from osom_desktop.views.map_output import copy_map_image

        image = copy_map_image(self.document)
        self.statusBar().showMessage(f"Copied the map as an image ({image.width()} x {image.height()} pixels)", 4000)

    def print_map(self) -> None:
        from osom_desktop.views.map_output import print_dialog

        message = print_dialog(self, self.document, self.path.stem if self.path else self.document.data.service.name)
        if message:  # not printed: a dialog, as every export failure (issue 11)
            self.show_error(message, dialog=message.startswith("Not printed"))

    def cut(self) -> None:
        ids = self.view.selected_ids()
        if ids:
            self.copy()
            self.view.run(RemoveElementsCommand(self.document, ids, text="Cut"))

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            return
        self.view.paste_owm(text)  # selected after, beside the originals; the status bar says what came

    def select_all(self) -> None:
        if self.text.editor.hasFocus():
            self.text.editor.selectAll()
        else:
            self.view.select_ids([c.id for c in self.document.map.components])

    def find_component(self) -> None:
        names = sorted(c.name for c in self.document.map.components)
        if not names:
            return
        from osom_desktop.views.component_picker import pick_component

        name = pick_component(self, "Find component", "Component:", names)
        if name is not None and (c := self.document.map.component_by_name(name)) is not None:
            self.view.select_ids([c.id])
            self.view.setFocus()

    def add_component(self) -> None:
        self.view.add_component_at(0.5, 0.5, rename=True)

    def link_selected(self) -> None:
        """Keyboard linking: select two components (the dependent first), Ctrl+L."""
        ids = self.view.selected_component_ids()
        if len(ids) != 2:
            self.show_error("Select exactly two components to link (the one that depends on the other first)")
            return
        self.view.link_components(ids[0], ids[1])

    # -- status and title ---------------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        self._edits += 1
        self._snapshots.note(change)
        if change.what == "service":
            self._update_title()

    def _on_selection_changed(self, ids: list[str]) -> None:
        comps = [i for i in ids if self.document.map.component(i) is not None]
        self.inspector.show_component(comps[0] if len(comps) == 1 else None)
        if len(comps) == 1:
            main_docks.raise_inspector_if_behind(self)

    # -- other services: the folder's files and recent files -------------------------------

    def refresh_directory(self) -> None:
        """Re-read the services beside this file (and recent ones): what components can
        be linked to, and what the findings check dependencies against.

        In a thread (``DirectoryLoader``): the window paints and stays responsive,
        autosave included, however big or hostile the folder; the result is applied
        by ``_on_directory_loaded`` on the GUI thread, the newest scan's only.
        """
        from osom_desktop.views.directory_loader import DirectoryLoader

        folder = self.path.resolve().parent if self.path else None
        # A service copied or saved into the folder later is listed too, unasked.
        watch = getattr(self, "_folder_watch", None)
        if watch is None:
            from osom_desktop.views.folder_watch import FolderWatch

            watch = self._folder_watch = FolderWatch(self)
            watch.changed.connect(self.refresh_directory)
        watch.watch(folder)
        loader = DirectoryLoader(folder, recent_files())
        loader.loaded.connect(self._on_directory_loaded)
        self._directory_loader: DirectoryLoader | None = loader
        loader.start_scan()

    def _on_directory_loaded(self, directory: ServiceDirectory) -> None:
        if self.sender() is not getattr(self, "_directory_loader", None):
            return  # an older scan, overtaken by a newer one (another file opened)
        self._directory_loader = None
        self.directory = directory
        for name in ("inspector", "contract"):  # one built later is given them then
            if (panel := self.built_panel(name)) is not None:
                panel.set_services(self.directory.services)
        self.findings.set_directory(self.directory)

    def _service_file(self, ref) -> Path | None:
        summary = self.directory.find(ref)
        if summary is None or (self.path is not None and summary.path.resolve() == self.path.resolve()):
            return None
        return summary.path

    def go_to_element(self, element_id: str) -> None:
        """Show what a finding is about: the component on the map, or the record's dock."""
        m = self.document.map
        if m.component(element_id) is not None:
            self.view.select_ids([element_id])
            self.view.setFocus()
            return
        if not main_docks.show_record(self, element_id) and element_id in m.element_ids():
            self.view.select_ids([element_id])

    def _go_to_part(self, code: str) -> None:
        """A finding about the service, not an element: its dock, in front with the focus."""
        if code != "contract-incomplete":
            return
        self.contract_dock.show()
        self.contract_dock.raise_()
        # The part the finding names first, not the form's first field (Name, always filled).
        if not self.contract.focus_first_empty():
            main_actions.focus_first(self.contract_dock.widget())

    def _show_findings_count(self, count: int) -> None:
        self.findings_dock.setWindowTitle(f"Findings ({count})" if count else "Findings")

    def _show_cursor(self, visibility: float, evolution: float, stage: str) -> None:
        if not (0.0 <= visibility <= 1.0 and 0.0 <= evolution <= 1.0):
            self._coords.clear()  # off the map (its margins): no position to name
            return
        self._coords.setText(f"visibility {visibility:.2f}, evolution {evolution:.2f} — {stage}")

    def _show_problem_count(self, count: int) -> None:
        self._problems.setText(self.text.problems_summary() if count else "")  # by kind (text_editor)

    def show_error(self, message: str, dialog: bool = False) -> None:
        self.statusBar().showMessage(message, 10000)
        if dialog:
            QMessageBox.warning(self, "OSOM Desktop", message)

    def _display_name(self) -> str:
        return self.path.name if self.path else f"{self.document.data.service.name} (not saved)"

    def _update_title(self) -> None:
        ro = " [read-only]" if self.read_only else ""
        self.setWindowTitle(f"{self._display_name()}[*]{ro} — OSOM Desktop")
        self.setWindowModified(self.is_modified() and not self.read_only)


# -- helpers shared with the app -------------------------------------------------------


def _load(path: Path, verify: bool = True) -> tuple[ServiceDocument, bool]:
    """(document, came_from_owm_text)."""
    from osom_desktop.storage.limits import read_head

    # Never blocks (a FIFO named x.osom); what is not a regular file goes to the reader,
    # which says in one line what it is.
    head = read_head(path, 16)
    with_header = head == b"SQLite format 3\x00" or (head is None and path.exists())
    if with_header or path.suffix.lower() == ".osom":
        from osom_desktop.storage import open_document

        return open_document(path, verify=verify), False
    from osom_desktop.owm import parse_owm
    from osom_desktop.owm.textfile import read_text_file

    result = parse_owm(read_text_file(path), filename=path.name)
    data = ServiceDocument()
    data.service.name = result.map.title or path.stem
    data.map = result.map
    return data, True


def _lock_advice(other: LockOwner) -> str:
    if other.on_this_host():
        return "Open it read-only to look without risking their work, or open it anyway."
    # Another computer's lock cannot be checked from here: it may be left by a crash.
    return (f"It cannot be checked from here whether {other.host} still has it open (a crash there "
            "leaves this lock behind). Open it read-only, or open it anyway if you know it is not in use.")


def _user() -> str:
    from osom_desktop.model.people import current_user

    return current_user()


def recent_files() -> list[Path]:
    value = QSettings().value("recent", [])
    # One path comes back as a string (QSettings' ini files); anything else is not ours.
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [Path(v) for v in names if Path(v).exists()][:MAX_RECENT]


def remember_recent(path: Path) -> None:
    paths = [str(path.resolve())] + [str(p) for p in recent_files() if p.resolve() != path.resolve()]
    QSettings().setValue("recent", paths[:MAX_RECENT])
