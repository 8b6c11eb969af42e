"""The network window: every service in a folder, its dependency graph, a table and the findings.

The folder is read in the background (``NetworkLoader``); the window shows a progress
bar and a Cancel button meanwhile. A cancelled load shows "Loading cancelled" and
nothing partial. The folder, its subfolders and its files are watched: a change on
disk (a save, a new or deleted file) reloads in the background half a second after
the last change, re-reading only the files that changed (``DocumentCache``), while
the window keeps showing the previous answer. Reload (F5) re-reads every file.
Double-clicking a service (table or graph) or pressing Enter on a
table row emits ``open_service_requested(path)``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import SERVICE_SUFFIX
from osom_desktop.analysis.network_cache import DocumentCache
from osom_desktop.views.fitness_tab import attach_fitness_tab
from osom_desktop.views.network_graph import (
    LIFECYCLE_COLOURS,
    NetworkScene,
    NetworkView,
)
from osom_desktop.views.governance_tab import attach_governance_tab
from osom_desktop.views.network_loader import NetworkLoader, NetworkResult

# (row key, header, numeric)
TABLE_COLUMNS = [
    ("name", "Service", False),
    ("lifecycle", "Lifecycle", False),
    ("evolution_stage", "Evolution", False),
    ("manager", "Manager", False),
    ("dependencies", "Depends on", True),
    ("dependents", "Depended on by", True),
    ("findings", "Findings", True),
    ("rejected_guidance", "Rejected guidance", True),
    ("last_assessment", "Last assessment", False),
    ("path", "File", False),
]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_DELAY_MS = 500  # after the last change on disk, so a burst of saves reloads once


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class NetworkWindow(QMainWindow):
    open_service_requested = Signal(Path)

    def __init__(self, folder: Path, today: dt.date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.today = today
        self.result: NetworkResult | None = None
        self.loader: NetworkLoader | None = None
        self._syncing = False
        self.cache = DocumentCache()  # files read so far: a refresh re-opens only changed ones
        self._refreshing = False  # the running load is an automatic refresh (the old answer stays shown)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed_on_disk)
        self.watcher.fileChanged.connect(self._changed_on_disk)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.setWindowTitle(f"Network — {self.folder.name or self.folder} — OSOM Desktop")
        self.resize(1200, 800)

        # Status bar of the load: message, progress, cancel.
        self.status = _plain_label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.reload_button = QPushButton("Reload")
        self.reload_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.reload_button)

        # Graph and legend.
        self.scene = NetworkScene(self)
        self.view = NetworkView(self.scene)
        self.view.node_activated.connect(self._open_node)
        self.scene.selectionChanged.connect(self._graph_selection_changed)
        legend = QHBoxLayout()
        legend.addWidget(_plain_label("Lifecycle:"))
        for key, (colour, text) in LIFECYCLE_COLOURS.items():
            swatch = _plain_label(text)
            border = "dashed" if key == "external" else "solid"
            swatch.setStyleSheet(f"background:{colour}; border:1px {border} #333; border-radius:4px; padding:2px 6px;")
            legend.addWidget(swatch)
        legend.addWidget(_plain_label("Arrows point from a service to what it depends on."))
        legend.addStretch(1)
        graph_box = QWidget()
        gl = QVBoxLayout(graph_box)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addLayout(legend)
        gl.addWidget(self.view, 1)

        # Table, findings, unreadable files.
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels([h for _, h, _ in TABLE_COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt's default indicator is descending
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._table_selection_changed)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.installEventFilter(self)
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.currentItemChanged.connect(self._finding_chosen)
        self.unreadable = QListWidget()
        self.unreadable.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Services")
        self.tabs.addTab(self.findings, "Findings")
        self.tabs.addTab(self.unreadable, "Unreadable files")
        self.governance_tab = attach_governance_tab(self.tabs)  # views/governance_tab.py
        self.fitness_tab = attach_fitness_tab(self.tabs)  # views/fitness_tab.py (roll-ups, capital flow)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(graph_box)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([480, 260])
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.addLayout(top)
        cl.addWidget(split, 1)
        self.setCentralWidget(central)

        menu = self.menuBar().addMenu("&Network")
        for text, slot, key in (("&Reload", self.reload, QKeySequence.StandardKey.Refresh),
                                ("&Open Selected Service", self._open_selected, "Ctrl+Return"),
                                ("&Fit Graph to Window", self.fit_graph, "Ctrl+0"),
                                ("&Close", self.close, QKeySequence.StandardKey.Close)):
            act = QAction(text, self)
            act.setShortcut(QKeySequence(key))
            act.triggered.connect(slot)
            menu.addAction(act)
        self.export_action = QAction("&Export Executive Pack…", self)
        self.export_action.triggered.connect(lambda: self.export_pack())
        menu.insertAction(menu.actions()[-1], self.export_action)  # above Close
        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About OSOM Desktop", self._show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self.reload()

    def _show_about(self) -> None:
        from osom_desktop.views.about_dialog import show_about

        show_about(self)

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Clear the window and read every file again."""
        self._stop_loader()
        self.refresh_timer.stop()
        self.cache = DocumentCache()
        self._refreshing = False
        self.result = None
        self.scene.clear()
        self.scene.nodes = {}
        self.table.setRowCount(0)
        self.findings.clear()
        self.unreadable.clear()
        self.tabs.setTabText(1, "Findings")
        self.tabs.setTabText(2, "Unreadable files")
        self.status.setText(f"Loading {self.folder} …")
        self.progress.setRange(0, 0)  # busy until the file count is known
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.reload_button.setEnabled(False)
        self._start_loader()

    def refresh(self) -> None:
        """Reload in the background after a change on disk, re-reading only changed files.

        The current answer stays shown until the new one is ready; while a load runs,
        the refresh waits for it.
        """
        if self.is_loading():
            self.refresh_timer.start()
            return
        if self.result is None:  # nothing shown (cancelled or failed): a plain reload
            self.reload()
            return
        self._stop_loader()
        self._refreshing = True
        self.status.setText(f"{self.folder} changed on disk — updating …")
        self._start_loader()

    def _start_loader(self) -> None:
        loader = NetworkLoader(self.folder, self.today, self, cache=self.cache)
        loader.progressed.connect(self._progressed)
        loader.loaded.connect(self._loaded)
        loader.cancelled.connect(self._cancelled)
        loader.failed.connect(self._failed)
        self.loader = loader
        loader.start()

    def _changed_on_disk(self, _path: str = "") -> None:
        self.refresh_timer.start()  # (re)starts the delay

    def _watch(self, result: NetworkResult | None) -> None:
        """Watch the folder, its subfolders (not hidden ones) and the service files now in it."""
        paths: set[str] = set()
        if self.folder.is_dir():
            for root, dirs, files in os.walk(self.folder):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                paths.add(root)
                paths.update(os.path.join(root, f) for f in files
                             if not f.startswith(".") and f.lower().endswith(SERVICE_SUFFIX))
        elif self.folder.parent.is_dir():
            paths.add(str(self.folder.parent))  # the folder may yet appear
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        if watched - paths:
            self.watcher.removePaths(sorted(watched - paths))
        if paths - watched:
            self.watcher.addPaths(sorted(paths - watched))

    def is_loading(self) -> bool:
        return self.loader is not None and self.loader.isRunning()

    def cancel(self) -> None:
        if self.loader is not None:
            self.loader.cancel()
            self.status.setText("Cancelling …")
            self.cancel_button.setEnabled(False)

    def _stop_loader(self) -> None:
        if self.loader is not None:
            self.loader.cancel()
            for sig in (self.loader.progressed, self.loader.loaded, self.loader.cancelled, self.loader.failed):
                sig.disconnect()
            self.loader.wait()
            self.loader.deleteLater()
            self.loader = None

    def _progressed(self, done: int, total: int) -> None:
        if not self._current() or self._refreshing:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total} files")

    def fit_graph(self) -> None:
        """Show the whole graph, never enlarged past its natural size nor shrunk past legibility (then it scrolls)."""
        rect = self.scene.sceneRect()
        vp = self.view.viewport().size()
        if rect.isEmpty() or vp.isEmpty():
            return
        scale = max(0.4, min(1.0, vp.width() / rect.width(), vp.height() / rect.height()))
        self.view.resetTransform()
        self.view.scale(scale, scale)

    def export_pack(self, path: str | Path | None = None) -> Path | None:
        """Write the folder's executive pack (.pdf, or .html otherwise) from the network
        as last loaded; asks where when ``path`` is None. Returns the file written."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from osom_desktop.export.network_pack import build_network_pack

        if self.result is None:
            self.status.setText("Nothing to export yet: wait until the folder has loaded.")
            return None
        if path is None:
            suggested = self.folder.parent / f"{self.folder.name or 'network'}-executive-pack.html"
            path, _ = QFileDialog.getSaveFileName(self, "Export Executive Pack", str(suggested),
                                                  "Web page (*.html);;PDF (*.pdf)")
            if not path:
                return None
        out = Path(path)
        if out.suffix.lower() not in (".html", ".htm", ".pdf"):
            out = out.with_name(out.name + ".html")
        network = self.result.network

        def write() -> None:
            pack = build_network_pack(network, self.folder, today=self.today)
            if out.suffix.lower() == ".pdf":
                from osom_desktop.export.pack_pdf import write_pack_pdf

                write_pack_pdf(pack, out)
            else:
                from osom_desktop.export.pack_html import write_pack_html

                write_pack_html(pack, out)

        from osom_desktop.views.export_guard import run_export

        error = run_export(self, out, write)  # every failure in a dialog (issue 11)
        if error is not None:
            if error:
                QMessageBox.warning(self, "Export Executive Pack", f"Not exported — {error}")
            return None
        self.status.setText(f"Executive pack written to {out}")
        return out

    def _finish(self, message: str) -> None:
        self._refreshing = False
        self.status.setText(message)
        self.progress.hide()
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()
        self.reload_button.setEnabled(True)

    def _current(self) -> bool:
        """A signal from the loader this window is waiting for (not a stale one)."""
        return self.loader is not None and self.sender() is self.loader

    def _cancelled(self) -> None:
        if not self._current():
            return
        if self._refreshing:  # the previous answer is still shown
            self._finish(f"{self.folder}: update cancelled — Reload (F5) to read the folder again.")
            return
        self._finish("Loading cancelled — nothing is shown. Reload (F5) to read the folder again.")

    def _failed(self, reason: str) -> None:
        if not self._current():
            return
        self._finish(f"Could not read the network: {reason}")

    def _loaded(self, result: NetworkResult) -> None:
        if not self._current():
            return
        refreshed = self._refreshing and self.result is not None
        selected = self.scene.selected_node() if refreshed else None
        self.result = result
        self.governance_tab.show_network(result.network)
        self.fitness_tab.show_network(result.network, self.folder, self.today)
        net = result.network
        self.scene.show_network(net, result.positions)
        if not refreshed:
            self.fit_graph()  # a refresh keeps the person's zoom
        self._fill_table(result)
        self.findings.clear()
        for f in result.findings:
            item = QListWidgetItem(f"{f.severity}: {f.message}")
            item.setData(ID_ROLE, f.element_id)
            item.setToolTip(f.message)
            self.findings.addItem(item)
        self.unreadable.clear()
        for _path, reason in [*net.unreadable, *net.duplicate_ids]:
            self.unreadable.addItem(QListWidgetItem(reason))
        n_bad = self.unreadable.count()
        self.tabs.setTabText(1, f"Findings ({self.findings.count()})")
        self.tabs.setTabText(2, f"Unreadable files ({n_bad})")
        external = sum(1 for n in net.graph.nodes if net.is_external(n))
        text = f"{len(net.documents)} services, {net.graph.number_of_edges()} dependencies"
        if external:
            text += f", {external} external"
        if n_bad:
            text += f"; {n_bad} file(s) could not be read — see Unreadable files"
        self._finish(f"{self.folder}: {text}.")
        self._watch(result)
        if selected is not None and selected in self.scene.nodes:
            self.select_service(selected)

    def _fill_table(self, result: NetworkResult) -> None:
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(result.rows))
        for r, row in enumerate(result.rows):
            for c, (key, _header, numeric) in enumerate(TABLE_COLUMNS):
                value = row.get(key)
                item = QTableWidgetItem()
                if numeric:
                    item.setData(Qt.ItemDataRole.DisplayRole, int(value or 0))
                else:
                    item.setText("" if value is None else str(value))
                item.setData(ID_ROLE, row["service_id"])
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()

    # -- selection and opening ------------------------------------------------------------

    def service_id_at(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        return item.data(ID_ROLE) if item is not None else None

    def select_service(self, service_id: str | None) -> None:
        """Select a service in both the table and the graph (None clears)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            self.scene.select_node(service_id)
            item = self.scene.nodes.get(service_id) if service_id else None
            if item is not None:
                self.view.ensureVisible(item, 40, 40)
            self.table.clearSelection()
            for r in range(self.table.rowCount()):
                if self.service_id_at(r) == service_id:
                    self.table.selectRow(r)
                    self.table.scrollToItem(self.table.item(r, 0))
                    break
        finally:
            self._syncing = False

    def _table_selection_changed(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            self.select_service(self.service_id_at(min(rows)))

    def _graph_selection_changed(self) -> None:
        node = self.scene.selected_node()
        if node is not None:
            self.select_service(node)

    def _finding_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None and item.data(ID_ROLE):
            self.select_service(item.data(ID_ROLE))

    def _open_row(self, row: int) -> None:
        sid = self.service_id_at(row)
        if sid is not None:
            self._open_node(sid)

    def _open_selected(self) -> None:
        node = self.scene.selected_node()
        if node is not None:
            self._open_node(node)

    def _open_node(self, node: str) -> None:
        if self.result is None:
            return
        path = self.result.network.paths.get(node)
        if path is None:
            self.status.setText(f"{self.result.network.name(node)} has no service file in this folder.")
            return
        self.open_service_requested.emit(Path(path))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            row = self.table.currentRow()
            if row >= 0:
                self._open_row(row)
                return True
        return super().eventFilter(obj, event)

    def closeEvent(self, event) -> None:
        self.refresh_timer.stop()
        self._stop_loader()
        super().closeEvent(event)
