"""The network window: every service in a folder, its dependency graph, a table, the
findings grouped by kind, and guidance across the network.

The folder is read in the background (``NetworkLoader``); the window shows a progress
bar and a Cancel button meanwhile. A cancelled load shows "Loading cancelled" and
nothing partial. The folder, its subfolders and its files are watched: a change on
disk reloads in the background half a second after the last change, re-reading only
the files that changed (``DocumentCache``), while the window keeps showing the
previous answer and keeping the selection and the findings tree's open rows. Reload
(F5) re-reads every file.

Exploring: the wheel, Ctrl+plus/minus and Ctrl+0 (fit) zoom, dragging pans, Ctrl+F
finds a service by name. Selecting a service (graph, table, search or a finding)
outlines what it depends on (blue) and everything that depends on it, transitively
(orange: what is affected if it fails), with the counts. Filters dim what they leave
out (and a filter that hides the selection clears it); a click on the empty graph or
Escape lets go. Double-click or Enter opens a service's map (``open_service_requested(path)``);
a finding's map opens with the component that makes it selected (``show_element_requested``).
The window fits the screen, and the graph starts at a readable zoom (labels of 9 pt
or more) centred on the most depended-on service; Fit (Ctrl+0) shows everything.
Other tabs (governance, fitness) are added to ``self.tabs`` by their own modules.

The window's parts live beside it: the services and guidance tables (network_table),
the findings tree (network_findings), the filters (network_filters), the graph
(network_graph), the background load (network_loader) and the pack's questions and
child process (network_export_ask, network_export).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import SERVICE_SUFFIX, normalise_name
from osom_desktop.analysis.network_cache import DocumentCache
from osom_desktop.analysis.network_layout import PALETTE, VOCABULARY
from osom_desktop.analysis.network_reach import depends_on_all
from osom_desktop.views import network_table
from osom_desktop.views.fitness_tab import attach_fitness_tab
from osom_desktop.views.governance_tab import attach_governance_tab
from osom_desktop.views.network_export_ask import export_target, may_write
from osom_desktop.views.network_filters import (
    filter_options,
    make_filter_combos,
    refill_filters,
    services_named_like,
    services_shown,
)
from osom_desktop.views.network_findings import (
    expand_finding,
    fill_findings,
    make_findings_tree,
    named_ids,
    open_target,
    restore_tree_state,
    tree_state,
)
from osom_desktop.views.network_graph import LIFECYCLE_COLOURS, NetworkScene, NetworkView
from osom_desktop.views.network_loader import NetworkLoader, NetworkResult, discard, node_looks, watched_paths
from osom_desktop.views.network_table import (
    ID_ROLE,
    TABLE_COLUMNS,
    guidance_table_steps,
    make_guidance_table,
    make_services_table,
    service_id_at,
    services_table_steps,
)
from osom_desktop.views.network_table import one_line as _one_line
from osom_desktop.views.widgets import ElidedLabel, fit_to_screen

# TABLE_COLUMNS and NetworkScene are read from here by tests and bench/bench_network_gui.py.
__all__ = ["LIFECYCLE_COLOURS", "TABLE_COLUMNS", "NetworkScene", "NetworkWindow"]

REFRESH_DELAY_MS = 500  # after the last change on disk, so a burst of saves reloads once
STEP_WAIT_MS = 1  # between two steps of showing an answer: each has an event-loop turn to itself
WATCH_SLICE = 250  # paths added to the file watcher a turn
SELECT_HINT = "Select a service to see what it depends on and what is affected if it fails."


def folder_listing(path: str) -> frozenset[tuple[str, int]] | None:
    """What of a folder the network reads: its service files and subfolders that are not
    hidden (as ``watched_paths``), each with its inode, as a save replaces its file with a
    new one (the file's own watch reports changes made in place). None: not a folder."""
    try:
        with os.scandir(path) as entries:
            return frozenset((e.name, e.inode()) for e in entries if not e.name.startswith(".")
                             and (e.name.lower().endswith(SERVICE_SUFFIX) or e.is_dir()))
    except OSError:
        return None


def hub_centre(result: NetworkResult) -> QPointF | None:
    """The middle of the most depended-on service's box (the most services affected if
    it fails, then the most direct dependents): where the default view starts when the
    whole graph would be too small to read."""
    net, boxes = result.network, result.layout.nodes
    ranked = [n for n in net.documents if n in boxes] or [n for n in net.graph.nodes if n in boxes]
    if not ranked:
        return None
    affected = result.answers.affected
    hub = max(ranked, key=lambda n: (len(affected.get(n, ())), net.graph.in_degree(n), str(n)))
    box = boxes[hub]
    return QPointF(box.x + box.w / 2, box.y + box.h / 2)


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class NetworkWindow(QMainWindow):
    open_service_requested = Signal(Path)
    # After open_service_requested, when a finding names a component of that map: select it.
    show_element_requested = Signal(Path, str)

    def __init__(self, folder: Path, today: dt.date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.today = today
        self.result: NetworkResult | None = None
        self.loader: NetworkLoader | None = None
        self.export_job = None  # views.network_export.ExecutiveExport while one runs
        self._syncing = False
        # How many services the chosen finding names that the filters hide: never
        # selected by the window on its own, but counted in the line about the selection.
        self._hidden_named = 0
        # A service clicked while the graph was being drawn: selected once it is drawn.
        self._pending: str | None = None
        self._depends: dict[str, frozenset[str]] = {}
        self._groups: list = []  # the findings tree's kinds (``analysis.network.finding_groups``)
        self._fill_token = 0  # which answer the staged filling (``_loaded``) is showing
        self._filling = False
        # Files read so far (a refresh re-reads only changed ones), each read light: only what
        # the network uses (storage.network_read), a fifth of opening it whole.
        self.cache = DocumentCache(light=True)
        self._refreshing = False  # the running load is an automatic refresh (the old answer stays shown)
        self.watcher = QFileSystemWatcher(self)
        self._to_watch: list[str] = []  # paths not watched yet, added a slice a turn (``_watch_some``)
        self._listings: dict[str, frozenset[tuple[str, int]]] = {}  # watched folder -> ``folder_listing``
        self._watching = False
        self.watcher.directoryChanged.connect(self._changed_on_disk)
        self.watcher.fileChanged.connect(self._changed_on_disk)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.setWindowTitle(f"Network — {self.folder.name or self.folder} — OSOM Desktop")
        fit_to_screen(self, QSize(1200, 800))  # at most, and within the screen

        # Built top to bottom (the order the widgets are made is the order Tab moves in).
        tools, sel_row = self._build_tools(), self._build_selection_row()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._build_graph())
        split.addWidget(self._build_tabs())
        # The graph first: at 1280x800 it had ~315 px of height against the tables' 245.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 210])
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.addLayout(tools)
        cl.addLayout(sel_row)
        cl.addWidget(split, 1)
        self.setCentralWidget(central)
        self._build_status_bar()  # last: Tab reaches it after the tables, as it is below them
        self._build_menus()
        self.reload()

    def _build_status_bar(self) -> None:
        """The network in one line (or the load's message), its progress, Cancel and Reload,
        in the status bar: a row of their own above the graph took ~35 px of its height."""
        self.status = ElidedLabel()  # a long folder path must not widen the window
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(320)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setToolTip("Read every file again (F5)")
        self.reload_button.clicked.connect(self.reload)
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.status, 1)
        for widget in (self.progress, self.cancel_button, self.reload_button):
            bar.addPermanentWidget(widget)

    def _build_tools(self) -> QHBoxLayout:
        """Exploring: search, filters, zoom."""
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Find a service (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.find_next)
        self.search_edit.textEdited.connect(lambda _t: self._find(0))
        self._found: list[str] = []
        self._found_at = -1
        self.lifecycle_filter, self.kind_filter, self.manager_filter = make_filter_combos(self._apply_filters)
        tools = QHBoxLayout()
        tools.addWidget(self.search_edit, 2)
        for text, combo in (("Lifecycle", self.lifecycle_filter), ("Finding", self.kind_filter),
                            ("Manager", self.manager_filter)):
            tools.addWidget(_plain_label(text + ":"))
            tools.addWidget(combo, 1)
        self.zoom_label = _plain_label("100 %")
        # As wide as the widest figure, so "59 %" -> "100 %" does not shift the row (tester T5).
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("8888 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for text, tip, slot in (("−", "Zoom out (Ctrl+minus)", lambda: self.view.zoom_out()),
                                ("+", "Zoom in (Ctrl+plus)", lambda: self.view.zoom_in()),
                                ("Fit", "Fit the whole network (Ctrl+0)", lambda: self.fit_graph())):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            tools.addWidget(b)
            b.clicked.connect(slot)
        tools.addWidget(self.zoom_label)
        return tools

    def _build_selection_row(self) -> QHBoxLayout:
        """What the selection means, and what can be done with it."""
        self.selection_label = _plain_label(SELECT_HINT)
        self.selection_label.setWordWrap(True)
        self.changes_button = QPushButton("Changes since last assessment…")
        self.changes_button.setEnabled(False)
        self.changes_button.clicked.connect(self.show_changes)
        self.open_button = QPushButton("Open map")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_selected)
        sel_row = QHBoxLayout()
        sel_row.addWidget(self.selection_label, 1)
        sel_row.addWidget(self.changes_button)
        sel_row.addWidget(self.open_button)
        return sel_row

    def _build_graph(self) -> QWidget:
        """The graph under its legend."""
        self.scene = NetworkScene(self)
        self.view = NetworkView(self.scene)
        self.view.node_activated.connect(self._open_node)
        self.view.zoomed.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.scene.selectionChanged.connect(self._graph_selection_changed)
        self.scene.drawn.connect(self._select_pending)
        legend = QHBoxLayout()
        legend.addWidget(_plain_label("Lifecycle:"))
        for key, (colour, text) in PALETTE.items():
            swatch = _plain_label(text)
            border = "dashed" if key in ("external", "unreadable") else "solid"
            swatch.setStyleSheet(f"background:{colour}; border:1px {border} #333; border-radius:4px; padding:2px 6px;")
            legend.addWidget(swatch)
        arrows = _plain_label("→ depends on · red: cycle · blue: needs · orange: affected if it fails")
        arrows.setToolTip(VOCABULARY["arrows"] + " A red arrow is part of a dependency cycle. When a service is selected, "
                          "what it depends on is outlined in blue and everything that depends on it, directly or "
                          "through others, in orange.")
        # Wrapped, so the legend never sets the window's width: unwrapped it made the
        # window at least 1,257 pixels wide, past a 1280x800 screen with its frame.
        arrows.setWordWrap(True)
        legend.addWidget(arrows, 1)
        graph_box = QWidget()
        gl = QVBoxLayout(graph_box)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addLayout(legend)
        gl.addWidget(self.view, 1)
        return graph_box

    def _build_tabs(self) -> QTabWidget:
        """Table, findings, guidance, unreadable files; governance and fitness add their own."""
        self.table = make_services_table()
        self.table.itemSelectionChanged.connect(self._table_selection_changed)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.installEventFilter(self)
        self.findings = make_findings_tree()
        self.findings.currentItemChanged.connect(self._finding_chosen)
        self.findings.itemDoubleClicked.connect(lambda item, _c: self._open_finding(item))
        self.findings.itemExpanded.connect(self._on_finding_expanded)
        self.findings.installEventFilter(self)
        self.guidance = make_guidance_table()
        self.guidance.itemSelectionChanged.connect(self._guidance_chosen)
        self.unreadable = QListWidget()
        self.unreadable.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Services")
        self.tabs.addTab(self.findings, "Findings")
        self.tabs.addTab(self.guidance, "Guidance")
        self.tabs.addTab(self.unreadable, "Unreadable files")
        self.fitness_tab = attach_fitness_tab(self.tabs)  # views/fitness_tab.py (roll-ups, capital flow)
        self.governance_tab = attach_governance_tab(self.tabs)  # views/governance_tab.py
        self._governance_pending: object | None = None
        self.tabs.currentChanged.connect(lambda _i: self._show_governance())
        return self.tabs

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&Network")
        for text, slot, key in (("&Reload", self.reload, QKeySequence.StandardKey.Refresh),
                                ("&Find Service…", self.focus_search, QKeySequence.StandardKey.Find),
                                ("&Open Selected Service", self._open_selected, "Ctrl+Return"),
                                ("Zoom &In", lambda: self.view.zoom_in(), QKeySequence.StandardKey.ZoomIn),
                                ("Zoom &Out", lambda: self.view.zoom_out(), QKeySequence.StandardKey.ZoomOut),
                                ("&Fit Graph to Window", self.fit_graph, "Ctrl+0"),
                                ("&Close", self.close, QKeySequence.StandardKey.Close)):
            act = QAction(text, self)
            if key == QKeySequence.StandardKey.ZoomIn:  # "Ctrl++" needs Shift on many layouts: Ctrl+= too
                act.setShortcuts([QKeySequence(key), QKeySequence("Ctrl+=")])
            else:
                act.setShortcut(QKeySequence(key))
            act.triggered.connect(slot)
            menu.addAction(act)
        self.export_action = QAction("&Export Executive Pack…", self)
        self.export_action.triggered.connect(lambda: self.export_pack())
        menu.insertAction(menu.actions()[-1], self.export_action)  # above Close
        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About OSOM Desktop", self._show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _show_about(self) -> None:
        from osom_desktop.views.about_dialog import show_about

        show_about(self)

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Clear the window and read every file again."""
        self._fill_token += 1
        self._filling = False
        self._pending = None  # what was clicked before a reload is not carried over it
        self._stop_loader()
        self.refresh_timer.stop()
        self.cache = DocumentCache(light=True)
        self._refreshing = False
        self.result = None
        self.scene.clear_drawing()
        self._empty_tables()
        self.findings.clear()
        self.unreadable.clear()
        self.tabs.setTabText(1, "Findings")
        self.tabs.setTabText(2, "Guidance")
        self.tabs.setTabText(3, "Unreadable files")
        self.status.setText(f"Loading {self.folder} …")
        self.progress.setRange(0, 0)  # busy until the file count is known
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.reload_button.setEnabled(False)
        self._start_loader()

    def _empty_tables(self) -> None:
        """Empty the services and guidance tables a few slices of rows a turn (at once:
        70-170 ms at 2,000 services); an answer shown meanwhile fills over what is left."""
        token = self._fill_token

        def trim() -> None:
            if token != self._fill_token:
                return
            rows = 4 * network_table.TABLE_SLICE
            for table in (self.table, self.guidance):
                table.setRowCount(max(0, table.rowCount() - rows))
            if self.table.rowCount() or self.guidance.rowCount():
                QTimer.singleShot(STEP_WAIT_MS, self, trim)

        trim()

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

    def _show_governance(self) -> None:
        if self._governance_pending is not None and self.tabs.currentWidget() is self.governance_tab:
            network, self._governance_pending = self._governance_pending, None
            self.governance_tab.show_network(network)

    def _changed_on_disk(self, path: str = "") -> None:
        if path in self._listings:
            now = folder_listing(path)
            if now is not None and now == self._listings[path]:
                # Only hidden files came or went (a map opened from here puts its lock
                # file, .~lock.NAME#, beside the service files): nothing the network
                # reads. Each map opened and closed reloaded the window twice.
                return
            if now is None:
                del self._listings[path]
            else:
                self._listings[path] = now
        self.refresh_timer.start()  # (re)starts the delay

    def _watch(self, result: NetworkResult | None) -> None:
        """Watch the folder, its subfolders (not hidden ones) and the service files now in it."""
        # Listed by the loader (40 ms of os.walk at 2,000 files), right after it read them.
        paths = result.watch if result is not None and result.watch is not None else watched_paths(self.folder)
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        queued = set(self._to_watch)
        if watched - paths:
            self.watcher.removePaths(sorted(watched - paths))
            for gone in watched - paths:
                self._listings.pop(gone, None)
        self._to_watch = [p for p in self._to_watch if p in paths]
        new = paths - watched - queued
        if new:
            # Folders first: a save renames a new file over the old, which its folder reports.
            self._to_watch += sorted(new, key=lambda p: (p.lower().endswith(SERVICE_SUFFIX), p))
            if watched or queued:
                # A folder or file that appeared since the last look was not watched while
                # it was being read: a save into it in that gap sent no signal. One more
                # (cheap: unchanged files are not re-read) look catches it; it adds no new
                # paths, so it does not repeat.
                self.refresh_timer.start()
        if not self._watching:
            self._watch_some()

    def _watch_some(self) -> None:
        """Add the queued watches ``WATCH_SLICE`` a turn: 2,000 at once held the GUI thread 50-70 ms."""
        batch, self._to_watch = self._to_watch[:WATCH_SLICE], self._to_watch[WATCH_SLICE:]
        if batch:
            self.watcher.addPaths(batch)
            # What each folder holds as it starts being watched, to tell a change of it
            # from hidden files coming and going (``_changed_on_disk``).
            for p in batch:
                if not p.lower().endswith(SERVICE_SUFFIX):
                    listing = folder_listing(p)
                    if listing is not None:
                        self._listings[p] = listing
        self._watching = bool(self._to_watch)
        if self._watching:
            QTimer.singleShot(STEP_WAIT_MS, self, self._watch_some)

    def is_loading(self) -> bool:
        """Reading the folder, or still showing what was read."""
        return (self.loader is not None and self.loader.isRunning()) or self._filling

    def cancel(self) -> None:
        if self.export_job is not None and self.export_job.is_running():
            self.export_job.cancel()
            self.status.setText("Cancelling the export …")
            self.cancel_button.setEnabled(False)
            return
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
        """Show the whole graph, however small (Ctrl+0)."""
        self.view.fit_all()

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
        """Show a new answer in steps, one per event-loop turn (graph, table, findings,
        guidance, the rest), so the GUI thread is never held long; ``result`` is set,
        and ``is_loading()`` false, once every step is done."""
        if not self._current():
            return
        self._fill_token += 1
        token = self._fill_token
        self._filling = True
        refreshed = self._refreshing and self.result is not None
        # Every service selected (a finding names several), not one of them: a refresh
        # brought back one, picked by the scene's order, with its blast radius.
        selected = [n for n in getattr(self, "_named", []) if n in self.scene.nodes] if refreshed else []
        hidden_before = self._hidden_named if refreshed else 0
        net = result.network
        self.fitness_tab.show_network(result.network, self.folder, self.today)
        # The governance summary reads every document (0.5 s for 2,000 services): worked out
        # when its tab is shown, not on every load.
        self._governance_pending = result.network
        if self.tabs.currentWidget() is self.governance_tab:
            self._show_governance()

        def graph() -> None:
            old, self._depends = self._depends, (result.depends if result.depends is not None else depends_on_all(net))
            discard(old)
            if result.colours is None or result.tips is None:
                result.colours, result.tips = node_looks(net, result.answers)
            self.scene.show_layout(result.layout, result.colours, result.tips)
            if not refreshed:  # a refresh keeps the person's zoom
                self.view.fit_readable(hub_centre(result))

        def rest() -> None:
            old, self.result = self.result, result
            if old is not None and old is not result:
                discard(old)  # its answers are freed off the GUI thread
            self._fill_filters(result)
            self._fill_unreadable(net)
            self.tabs.setTabText(1, f"Findings ({len(result.answers.pairs)})")
            self.tabs.setTabText(2, f"Guidance ({self.guidance.rowCount()} rejections)")
            self.tabs.setTabText(3, f"Unreadable files ({len(net.unreadable)})")
            self._filling = False
            self._finish(self._summary())
            self._watch(result)
            if selected:
                if self.scene.drawing:
                    self.scene.drawn.connect(lambda: self._reselect(selected, hidden_before),
                                             Qt.ConnectionType.SingleShotConnection)
                else:
                    self._reselect(selected, hidden_before)

        steps = [graph, *self._table_steps(result), lambda: self._fill_findings(result),
                 *self._guidance_steps(result), rest]

        def run_next() -> None:
            if token != self._fill_token:
                return  # a newer answer (or a reload) replaced this one
            if self.scene.drawing and steps[0] is not graph:
                # One thing per event-loop turn: the graph's slices first, then the tables
                # (a slice of each in one turn, and a repaint, held the GUI thread 50-100 ms).
                QTimer.singleShot(STEP_WAIT_MS, self, run_next)
                return
            steps.pop(0)()
            if steps:
                # Tied to the window: a window closed mid-fill drops the rest of the steps
                # (a bare callable would run them on its deleted widgets). A timer, not a
                # zero-delay call: those are posted events, and two of them could run in
                # one turn.
                QTimer.singleShot(STEP_WAIT_MS, self, run_next)

        run_next()

    def _reselect(self, named: list[str], hidden: int) -> None:
        """Select again, after a refresh, the services selected before it that are still
        there and that the filters show; those the filters hide are counted, as a
        finding's are."""
        there = [n for n in named if n in self.scene.nodes]
        shown = self.shown_services()
        kept = there if shown is None else [n for n in there if n in shown]
        if kept:
            self.select_services(kept, hidden=hidden + len(there) - len(kept))

    def _fill_unreadable(self, net) -> None:
        """The files that could not be read; under a heading of their own, the older
        copies of a service left out (``Network.duplicate_ids``): they were read, only
        not used, and were counted as unreadable."""
        self.unreadable.clear()
        for _path, reason in net.unreadable:
            self.unreadable.addItem(QListWidgetItem(_one_line(reason)))
        if net.duplicate_ids:
            head = QListWidgetItem("Older copies left out (one service in several files; the newest is used — "
                                   "see Findings):")
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not a file
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.unreadable.addItem(head)
            for _path, reason in net.duplicate_ids:
                self.unreadable.addItem(QListWidgetItem(_one_line(reason)))

    def _summary(self) -> str:
        """The header's line about the shown answer: how many services (of how many, while
        a filter is on), dependencies, files not read, older copies left out."""
        assert self.result is not None
        net = self.result.network
        shown = self.shown_services()
        total = len(net.documents)
        if shown is None:
            text = f"{total} services"
        else:
            text = f"{sum(1 for s in net.documents if s in shown)} of {total} services shown"
        text += f", {net.graph.number_of_edges()} dependencies"
        external = sum(1 for n in net.graph.nodes if net.is_external(n))
        if external:
            text += f", {external} external"
        if net.unreadable:
            text += f"; {len(net.unreadable)} file(s) could not be read — see Unreadable files"
        copies = len(net.duplicate_ids)
        if copies:
            text += f"; {copies} older {'copy' if copies == 1 else 'copies'} left out — see Findings"
        return f"{self.folder}: {text}."

    def _table_steps(self, result: NetworkResult) -> list:
        """Filling the services table, a slice of rows a step (views/network_table.py)."""
        return services_table_steps(self.table, result.rows)

    def _fill_table(self, result: NetworkResult) -> None:
        for step in self._table_steps(result):
            step()

    def _fill_findings(self, result: NetworkResult) -> None:
        """One row per kind of finding; the rest is made when a row is opened
        (views/network_findings.py)."""
        state = tree_state(self.findings)  # empty after a reload, which clears the tree
        self._groups = result.answers.groups
        fill_findings(self.findings, self._groups, result.network)
        restore_tree_state(self.findings, state, self._groups, result.network)

    def _on_finding_expanded(self, item: QTreeWidgetItem) -> None:
        if self.result is not None:
            expand_finding(item, self._groups, self.result.network)

    def _guidance_steps(self, result: NetworkResult) -> list:
        """Filling the guidance table, a slice of rows a step (views/network_table.py)."""
        return guidance_table_steps(self.guidance, result.answers.answers["guidance_rejections"])

    def _fill_guidance(self, result: NetworkResult) -> None:
        for step in self._guidance_steps(result):
            step()

    def _filters(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        return self.lifecycle_filter, self.kind_filter, self.manager_filter

    def _fill_filters(self, result: NetworkResult) -> None:
        choices = result.filter_choices or filter_options(result.network, result.answers.groups)
        refill_filters(self._filters(), choices)
        self._apply_filters()

    # -- filters, search, selection ------------------------------------------------------

    def shown_services(self) -> set[str] | None:
        """Nodes the filters leave in view (None: no filter)."""
        if self.result is None:
            return None
        life, kind, manager = (f.currentText() for f in self._filters())
        return services_shown(self.result.network, self.result.answers.groups, life, kind, manager)

    def _apply_filters(self, _index: int = 0) -> None:
        shown = self.shown_services()
        if self.result is not None and not self.is_loading() and not (
                self.export_job is not None and self.export_job.is_running()):
            self.status.setText(self._summary())  # "12 of 40 services shown" while a filter is on
        for r in range(self.table.rowCount()):
            self.table.setRowHidden(r, shown is not None and self.service_id_at(r) not in shown)
        named = list(getattr(self, "_named", []))
        kept = [n for n in named if shown is None or n in shown]
        if kept != named:
            # A service the filter hides is no longer selected: its outline, its blast
            # radius and the line about it stayed on the dimmed graph, for a service the
            # table no longer even listed.
            # Several named (a finding): the line goes on counting those now hidden.
            finding = len(named) > 1 or self._hidden_named
            self.select_services(kept, hidden=self._hidden_named + len(named) - len(kept) if finding else 0)
            return
        self._highlight()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _find(self, start: int) -> None:
        if self.result is None:
            return
        if not normalise_name(self.search_edit.text()):
            self._found = []
            self.status.setText(self._summary())  # not the last "No service named like …"
            return
        self._found = services_named_like(self.result.network, self.search_edit.text())
        self._found_at = start - 1
        if self._found:
            self.status.setText(self._summary())  # the search matches again
            self.find_next()
        else:
            # The service found before is no longer what the search names: its outline and
            # line went on describing it while the status said nothing matched.
            self.select_service(None)
            self.status.setText(f"No service named like {self.search_edit.text()!r}.")

    def find_next(self) -> None:
        """Select the next service whose name holds the search text (Enter in the search box)."""
        if not self._found:
            self._find(0)
            return
        self._found_at = (self._found_at + 1) % len(self._found)
        self.select_service(self._found[self._found_at], centre=True)

    def service_id_at(self, row: int) -> str | None:
        return service_id_at(self.table, row)

    def select_service(self, service_id: str | None, centre: bool = False, hidden: int = 0) -> None:
        """Select a service in both the table and the graph, lighting up what it depends on
        and what depends on it (None clears); ``hidden``: how many more a finding named
        that the filters hide (said in the line about the selection)."""
        if self._syncing:
            return
        self._hidden_named = hidden
        self._syncing = True
        try:
            self.scene.finish_now()
            self.scene.select_node(service_id)
            item = self.scene.nodes.get(service_id) if service_id else None
            if item is not None:
                if centre:
                    self.view.centerOn(item)
                else:
                    self.view.ensureVisible(item, 40, 40)
            self.table.clearSelection()
            for r in range(self.table.rowCount()):
                if self.service_id_at(r) == service_id:
                    self.table.selectRow(r)
                    self.table.scrollToItem(self.table.item(r, 0))
                    break
            self._named = [service_id] if service_id else []
            self._highlight()
        finally:
            self._syncing = False

    def select_services(self, ids: list[str], hidden: int = 0) -> None:
        """Select every service a finding names (one or none: as ``select_service``)."""
        if len(ids) <= 1:
            self.select_service(ids[0] if ids else None, hidden=hidden)
            return
        self._hidden_named = hidden
        self.scene.finish_now()
        self._syncing = True
        try:
            self.scene.clearSelection()
            for sid in ids:
                if sid in self.scene.nodes:
                    self.scene.nodes[sid].setSelected(True)
            self._named = list(ids)
            self._highlight()
            if ids and ids[0] in self.scene.nodes:
                self.view.ensureVisible(self.scene.nodes[ids[0]], 40, 40)
        finally:
            self._syncing = False

    def selected_services(self) -> list[str]:
        return [i.node for i in self.scene.selectedItems() if hasattr(i, "node")]

    def _highlight(self) -> None:
        if self.result is None:
            return
        named = [n for n in getattr(self, "_named", []) if n in self.scene.nodes]
        shown = self.shown_services()
        net = self.result.network
        hidden = self._hidden_named
        if len(named) == 1:
            sid = named[0]
            up = self._depends.get(sid, frozenset())
            down = self.result.answers.affected.get(sid, frozenset())
            self.scene.highlight([sid], up, down, shown)
            where = "" if sid in net.documents else " (no service file here)"
            self.selection_label.setText(
                f"{_one_line(net.name(sid))}{where}: depends on {len(up)} service(s), directly or through others; "
                f"{len(down)} service(s) affected if it fails."
                + (f" The finding names {hidden} more, hidden by the filters." if hidden else ""))
            self.changes_button.setEnabled(sid in net.documents)
            self.open_button.setEnabled(sid in net.documents)
        elif named:
            self.scene.highlight(named, (), (), shown)
            self.selection_label.setText(f"{len(named) + hidden} services named"
                                         + (f", {hidden} hidden by the filters" if hidden else "") + ": "
                                         + ", ".join(_one_line(net.name(n)) for n in named[:12])
                                         + (" …" if len(named) > 12 else ""))
            self.changes_button.setEnabled(False)
            self.open_button.setEnabled(named[0] in net.documents)
        else:
            self.scene.highlight((), (), (), shown)
            # Nothing selected: no line about a service, unless a finding named only hidden ones.
            self.selection_label.setText(
                f"{hidden} service(s) named, all hidden by the filters." if hidden else SELECT_HINT)
            self.changes_button.setEnabled(False)
            self.open_button.setEnabled(False)

    def _table_selection_changed(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            self.select_service(self.service_id_at(min(rows)))

    def _graph_selection_changed(self) -> None:
        if self._syncing:
            return
        nodes = self.selected_services()
        if self.scene.stepping:
            # Signalled from inside a step of the drawing (a selected item leaving the
            # scene as it is redrawn, another still selected): not the person's doing, and
            # selecting would finish the drawing from inside its own step ("generator
            # already executing"). A refresh re-selects its service once drawn.
            self._named = [n for n in nodes if n in self.scene.nodes]
            self._highlight()
        elif len(nodes) == 1 and self.scene.drawing:
            # A click while the graph is drawn (perhaps on the previous drawing, still
            # shown as it leaves): finishing the drawing here deleted items inside Qt's
            # handling of the press (the item pressed among them: a crash), and a reload's
            # new drawing was not there yet to select from. Selected once drawn.
            self._pending = nodes[0]
        elif len(nodes) == 1:
            self.select_service(nodes[0])
        elif not nodes and self.scene.drawing:
            self._pending = None
            # The selected item left the scene as it is redrawn (a refresh re-selects it
            # once drawn): not the person's doing, and the drawing must not be finished
            # from inside its own step.
            self._named = []
            self._highlight()
        elif not nodes:  # a click on the empty graph, or Escape: the table lets go too
            self.select_service(None)

    def _select_pending(self) -> None:
        """The drawing is complete: select the service clicked meanwhile, when it is drawn;
        while a reload has only emptied the scene, wait for the new drawing."""
        sid = self._pending
        if sid is None:
            return
        if sid in self.scene.nodes:
            self._pending = None
            self.select_service(sid)
        elif self.scene.nodes or not self.is_loading():
            self._pending = None  # not in the new answer

    def _finding_chosen(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        """Select what a finding names, but never what the filters hide: the tree chooses
        its first row on its own when it gets the focus (the Findings tab clicked), and a
        service hidden by the filter was selected, its blast radius described."""
        ids = named_ids(item)
        if ids:
            shown = self.shown_services()
            kept = ids if shown is None else [i for i in ids if i in shown]
            self.select_services(kept, hidden=len(ids) - len(kept))

    def _open_finding(self, item: QTreeWidgetItem | None) -> None:
        """Open the map a finding is about, with the component that makes it selected
        (``network_findings.open_target``: a cycle opens where it closes)."""
        if self.result is None:
            return
        target = open_target(item, self._groups, self.result.network)
        if target is not None:
            self._open_node(*target)

    def _guidance_chosen(self) -> None:
        items = self.guidance.selectedItems()
        if items:
            self.select_service(items[0].data(ID_ROLE))

    def _open_row(self, row: int) -> None:
        sid = self.service_id_at(row)
        if sid is not None:
            self._open_node(sid)

    def _open_selected(self) -> None:
        nodes = self.selected_services()
        if nodes:
            self._open_node(nodes[0])

    def _open_node(self, node: str, element_id: str | None = None) -> None:
        if self.result is None:
            return
        path = self.result.network.paths.get(node)
        if path is None:
            self.status.setText(f"{_one_line(self.result.network.name(node))} has no service file in this folder.")
            return
        self.open_service_requested.emit(Path(path))
        if element_id:
            self.show_element_requested.emit(Path(path), element_id)  # the map is open by now

    def show_changes(self) -> None:
        """What changed on the selected service's map since its last assessment, in a dialog."""
        from osom_desktop.views.network_changes import changes_text

        nodes = self.selected_services()
        if self.result is None or len(nodes) != 1 or nodes[0] not in self.result.network.documents:
            return
        doc = self.result.network.documents[nodes[0]]
        box = QMessageBox(QMessageBox.Icon.Information, f"{_one_line(doc.service.name)} — changes since last assessment",
                          changes_text(doc, self.today or dt.date.today()), QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    # -- export ------------------------------------------------------------------------------

    def export_pack(self, path: str | Path | None = None):
        """Write the folder's executive pack (.pdf, or .html otherwise) in a child process,
        with progress and Cancel; asks where when ``path`` is None. Returns the running job."""
        if self.result is None:
            self.status.setText("Nothing to export yet: wait until the folder has loaded.")
            return None
        if self.export_job is not None and self.export_job.is_running():
            self.status.setText("An export is already running.")
            return None
        out = export_target(self, self.folder, path)
        if out is None:
            return None
        replace = may_write(self, out)
        if replace is None:
            return None
        return self._start_export(out, replace)

    def _start_export(self, out: Path, replace: bool):
        from osom_desktop.views.network_export import ExecutiveExport

        job = ExecutiveExport(self.folder, out, self.today, replace, self)
        job.progressed.connect(self._export_progressed)
        job.finished.connect(self._export_finished)
        job.failed.connect(self._export_failed)
        job.cancelled.connect(lambda: self._finish("Export cancelled — nothing was written."))
        self.export_job = job
        self.status.setText(f"Exporting the executive pack to {out} …")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        job.start()
        return job

    def _export_progressed(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(_one_line(what) or f"{done} of {total}")

    def _export_finished(self, out: Path) -> None:
        from osom_desktop.views.export_notice import ExportNotice

        self._finish(f"Executive pack written to {out}")
        # Open and Show in Folder, as after a service's exports: the line in the status
        # bar left the person to find the pack in a file manager.
        ExportNotice.show_for(self, out)

    def _export_failed(self, reason: str) -> None:
        self._finish(f"Not exported — {_one_line(reason)}")
        QMessageBox.warning(self, "Export Executive Pack", f"Not exported — {_one_line(reason)}")

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if obj is self.table:
                row = self.table.currentRow()
                if row >= 0:
                    self._open_row(row)
                    return True
            elif obj is self.findings:
                item = self.findings.currentItem()
                if item is not None and item.parent() is None:  # a kind of finding: opened or closed, as a double-click does
                    item.setExpanded(not item.isExpanded())
                else:
                    self._open_finding(item)
                return True
        return super().eventFilter(obj, event)

    def closeEvent(self, event) -> None:
        from osom_desktop.views.network_loader import release_frozen

        self.refresh_timer.stop()
        self._stop_loader()
        release_frozen()  # the loaders kept their answers out of the collector's way
        if self.export_job is not None and self.export_job.is_running():
            self.export_job.cancel()
            self.export_job.process.waitForFinished(3000)
        super().closeEvent(event)
