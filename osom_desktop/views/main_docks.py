"""The main window's docks: which there are, how they are tabbed, the remembered
layout, and keeping the focused dock in front (split from main_window, issue 12).

The panels behind a tab at start (contract, guidance, assessments, governance) are built
when first needed, not before the map's first paint (issue 14: with their modules they
took ~0.1 s of a start on a 2-core box): when their tab comes to the front, when code
asks for one (``window.contract`` builds it), and otherwise one per turn of the event
loop just after the first paint, so Tab can walk into them as before. Their docks,
titles and tabs exist from the start. ``built_panel`` is for code that only acts on a
panel that exists (a flush, the read-only switch): a panel built later starts from the
window's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QTabWidget, QWidget

from osom_desktop.views.findings_panel import FindingsPanel
from osom_desktop.views.main_actions import changes_action
from osom_desktop.views.text_editor import MapTextEditor

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from osom_desktop.views.assessments import AssessmentsWidget
    from osom_desktop.views.coe_panel import GovernanceRecordsWidget
    from osom_desktop.views.contract_editor import ContractEditor
    from osom_desktop.views.guidance_log import GuidanceLogWidget
    from osom_desktop.views.inspector import InspectorWidget
    from osom_desktop.views.main_window import MainWindow

# Raise when docks are added or moved: a layout saved without them would untabify the
# new docks and squeeze them into slivers, so an older saved layout is not restored.
LAYOUT_VERSION = 3  # 3: every dock tabbed on the right, the map takes the rest
DOCK_WIDTH = 330  # at 1280x800 the map gets ~930 px: labels of at least 9 pt when fitted
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class WindowDocks:
    """The panels a main window shows beside its map, and their docks."""

    text: MapTextEditor
    findings: FindingsPanel  # built at once: its tab's title counts the findings
    act_changes: QAction  # View > Changes Since the Last Assessment, before its panel is built
    text_dock: QDockWidget
    inspector_dock: QDockWidget
    contract_dock: QDockWidget
    guidance_dock: QDockWidget
    assessments_dock: QDockWidget
    governance_dock: QDockWidget
    findings_dock: QDockWidget
    _panels: dict[str, QWidget]

    # Built on first use (see the module's docstring).
    @property
    def inspector(self) -> InspectorWidget:
        return _panel(self, "inspector")

    @property
    def contract(self) -> ContractEditor:
        return _panel(self, "contract")

    @property
    def guidance(self) -> GuidanceLogWidget:
        return _panel(self, "guidance")

    @property
    def assessments(self) -> AssessmentsWidget:
        return _panel(self, "assessments")

    @property
    def governance_records(self) -> GovernanceRecordsWidget:
        return _panel(self, "governance_records")

    def built_panel(self, name: str) -> Any:
        """The panel called ``name`` if it has been built, else None."""
        return self._panels.get(name)

    def built_panels(self) -> list[Any]:
        """The panels beside the map but the text and the findings that exist, in the
        order of their tabs."""
        return [self._panels[name] for name in ("inspector", *LAZY) if name in self._panels]


def _make_inspector(w: MainWindow) -> InspectorWidget:
    from osom_desktop.views.inspector import InspectorWidget

    panel = InspectorWidget(w.document, w.stack)
    panel.setEnabled(not w.read_only)
    panel.set_services(w.directory.services)
    return panel


def _make_contract(w: MainWindow) -> QWidget:
    from osom_desktop.views.contract_editor import ContractEditor

    panel = ContractEditor(w.document, w.stack)
    panel.message_shown.connect(lambda message: w.statusBar().showMessage(message, 10000))
    panel.set_read_only(w.read_only)
    panel.set_services(w.directory.services)
    return panel


def _make_guidance(w: MainWindow) -> QWidget:
    from osom_desktop.views.guidance_log import GuidanceLogWidget

    panel = GuidanceLogWidget(w.document, w.stack)
    panel.set_read_only(w.read_only)
    return panel


def _make_assessments(w: MainWindow) -> QWidget:
    from osom_desktop.views.assessments import AssessmentsWidget

    panel = AssessmentsWidget(w.document, w.stack, changes=w.act_changes)
    # "Changes since the last assessment" draws its ghost on whichever map is shown.
    panel.scene_getter = lambda: w.scene
    panel.message_shown.connect(lambda message: w.statusBar().showMessage(message, 10000))
    panel.source_path = str(w.path) if w.path else None  # named in exported reports
    panel.set_read_only(w.read_only)
    if w.act_changes.isChecked():  # checked in the View menu before the panel was built
        panel.changes_button.setChecked(True)
        panel._show_changes(True)
    return panel


def _make_governance(w: MainWindow) -> QWidget:
    from osom_desktop.views.coe_panel import GovernanceRecordsWidget

    panel = GovernanceRecordsWidget(w.document, w.stack)
    panel.set_read_only(w.read_only)
    return panel


# attribute: (its dock's attribute, how the panel is made for the window as it is now).
# Not the inspector: it follows the selection, and made in the press that selected a
# component it moved the drag that followed by ~10 px (and took a picker's focus).
LAZY: dict[str, tuple[str, Callable[[MainWindow], QWidget]]] = {
    "contract": ("contract_dock", _make_contract),
    "guidance": ("guidance_dock", _make_guidance),
    "assessments": ("assessments_dock", _make_assessments),
    "governance_records": ("governance_dock", _make_governance),
}


def _panel(w: Any, name: str) -> Any:
    """The panel ``name`` of window ``w``, built now if it was not yet."""
    panel: Any = w._panels.get(name)
    if panel is None:
        dock_name, make = LAZY[name]
        panel = w._panels[name] = make(w)
        panel.error_raised.connect(w.show_error)
        dock = getattr(w, dock_name)
        placeholder = dock.widget()
        dock.setWidget(panel)
        placeholder.deleteLater()  # setWidget keeps the widget it replaces
    return panel


def _build_when_shown(w: MainWindow, name: str) -> Callable[[bool], None]:
    def shown(visible: bool) -> None:
        if visible and shiboken6.isValid(w):
            _panel(w, name)

    return shown


def build_rest(w: MainWindow) -> None:
    """After the first paint: build the next panel not yet built, one per turn of the
    event loop (a key or click in between is handled between two panels)."""
    if not shiboken6.isValid(w):
        return  # closed first
    if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
        QTimer.singleShot(100, w, lambda: build_rest(w))  # not in the middle of a drag
        return
    name = next((n for n in LAZY if n not in w._panels), None)
    if name is not None:
        _panel(w, name)
        QTimer.singleShot(0, w, lambda: build_rest(w))


def add_dock(window: MainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(RIGHT, dock)
    return dock


def build_docks(w: MainWindow) -> None:
    """Every panel in a dock on the right, tabbed in one column beside the map."""
    w._panels = {}
    w.text = MapTextEditor(w.document, w.stack, filename="map")
    w.text_dock = add_dock(w, "Map text", "textDock", w.text)
    inspector = w._panels["inspector"] = _make_inspector(w)
    inspector.error_raised.connect(w.show_error)
    w.inspector_dock = add_dock(w, "Inspector", "inspectorDock", inspector)
    _build_service_docks(w)
    w.findings = FindingsPanel(w.document)
    w.findings_dock = add_dock(w, "Findings", "findingsDock", w.findings)
    # The map first: one narrow column of tabs beside it (the text in front, for
    # people who type their maps), so the canvas keeps the width and the full
    # height; a person who spreads the docks out gets their layout back next time.
    w.tabifyDockWidget(w.assessments_dock, w.findings_dock)
    w.text_dock.raise_()
    place_dock_tabs(w)
    QTimer.singleShot(0, lambda: unelide_dock_tabs(w))


def place_dock_tabs(window: MainWindow) -> None:
    """The tabs of a side's docks run down the window's outer edge, as IDEs show their
    tool windows: seven titles in a row across the 330 px column left Governance and
    Findings behind scroll arrows even at 1920x1080, and a column wide enough for them
    would take a third of a laptop's map. Down the side they fit a 1280x800 window
    whole. Docks a person moves to the top or bottom keep their tabs along it."""
    window.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
    window.setTabPosition(RIGHT, QTabWidget.TabPosition.East)
    window.setTabPosition(Qt.DockWidgetArea.LeftDockWidgetArea, QTabWidget.TabPosition.West)


def _build_service_docks(w: MainWindow) -> None:
    """The contract, guidance and assessment docks share the inspector's tabs."""
    w.contract_dock = add_dock(w, "Contract", "contractDock", QWidget())
    w.guidance_dock = add_dock(w, "Guidance", "guidanceDock", QWidget())
    w.assessments_dock = add_dock(w, "Assessments", "assessmentsDock", QWidget())
    w.act_changes = changes_action(w)
    # Checked before the Assessments panel exists: built now, it draws the ghost.
    w.act_changes.toggled.connect(lambda _on: _panel(w, "assessments"))
    # CoEs, mandates and unmet needs: the service's side of the governance loop.
    w.governance_dock = add_dock(w, "Governance", "governanceDock", QWidget())
    for name, (dock_name, _make) in LAZY.items():
        getattr(w, dock_name).visibilityChanged.connect(_build_when_shown(w, name))
    w.tabifyDockWidget(w.text_dock, w.inspector_dock)
    for dock in (w.contract_dock, w.guidance_dock, w.assessments_dock, w.governance_dock):
        w.tabifyDockWidget(w.inspector_dock, dock)
    # Qt leaves the docks behind a tab "visible", so Tab can walk into them: bring
    # the dock that receives focus to the front, so focus never goes out of sight.
    app = QApplication.instance()
    assert isinstance(app, QApplication)  # a window needs the widgets' application
    app.focusChanged.connect(w._on_focus_changed)


def unelide_dock_tabs(window: MainWindow) -> None:
    """Whole tab names ("Ma…", "In…" told nobody anything): scroll arrows, should a
    short window not have room for them all down its side."""
    if not shiboken6.isValid(window):
        return  # closed before the first turn of the event loop
    for bar in window.findChildren(QTabBar):
        if bar.parent() is window:
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)


def restore_layout(window: MainWindow) -> None:
    state = QSettings().value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state, LAYOUT_VERSION)  # another version's layout is ignored


def save_layout(window: MainWindow) -> None:
    QSettings().setValue("window/state", window.saveState(LAYOUT_VERSION))
    QSettings().setValue("window/geometry", window.saveGeometry())


def follow_focus(window: MainWindow, old: QWidget | None, new: QWidget | None) -> None:
    """Bring the dock that received the focus to the front, or keep the focus in the
    dock in front when Qt moved it on its own."""
    if new is None or new.window() is not window:
        return
    docks = (window.inspector_dock, window.contract_dock, window.guidance_dock, window.assessments_dock)
    hidden = _dock_behind_tab(docks, new)
    if hidden is None or old is None or not shiboken6.isValid(old):
        return  # in sight already, or nothing to go back to (the focused widget was deleted)
    if old.isEnabled() and old.isVisible():
        hidden.raise_()  # the person tabbed (or jumped) into it
        return
    _keep_focus_home(docks, hidden, old)


def _keep_focus_home(docks: tuple[QDockWidget, ...], hidden: QDockWidget, old: QWidget) -> None:
    """Qt moved the focus on its own: the focused button was disabled ("Remove
    dependency" took the last row) or hidden. Keep the tab the person is looking
    at in front, and the focus in it."""
    home = next((d for d in docks if d.isAncestorOf(old)), None)
    if home is not None and home is not hidden:
        _focus_next_in(home.widget(), old)


def _dock_behind_tab(docks: tuple[QDockWidget, ...], widget: QWidget) -> QDockWidget | None:
    """The dock holding ``widget`` if it is open but behind another tab."""
    return next((d for d in docks if d.isAncestorOf(widget) and d.visibleRegion().isEmpty() and not d.isHidden()),
                None)


def _focus_next_in(host: QWidget, after: QWidget) -> None:
    """Focus the next field of ``host`` a person could Tab to, after ``after``."""
    w = after.nextInFocusChain()
    while w is not None and w is not after:
        if (host.isAncestorOf(w) and w.isVisible() and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            w.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        w = w.nextInFocusChain()


def raise_inspector_if_behind(window: MainWindow) -> None:
    """A service dock was in front when a component was picked: show what was picked.
    The map text stays in front when it is (people typing their map do not want it
    taken away)."""
    service_docks = (window.contract_dock, window.guidance_dock, window.assessments_dock)
    if (not window.inspector_dock.isHidden() and window.inspector_dock.visibleRegion().isEmpty()
            and any(not d.visibleRegion().isEmpty() for d in service_docks)):
        window.inspector_dock.raise_()


def show_record(window: MainWindow, element_id: str) -> bool:
    """Bring the dock holding a dependency, decision or assessment to the front."""
    data = window.document.data
    if any(d.id == element_id for d in data.contract.dependencies):
        dock = window.contract_dock
    elif any(d.id == element_id for d in data.decisions):
        dock = window.guidance_dock
    elif any(a.id == element_id for a in data.assessments):
        dock = window.assessments_dock
    else:
        return False
    dock.show()
    dock.raise_()
    return True
