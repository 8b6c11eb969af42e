"""The main window's docks: which there are, how they are tabbed, the remembered
layout, and keeping the focused dock in front (split from main_window, issue 12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QTabWidget, QWidget

from osom_desktop.views.assessments import AssessmentsWidget
from osom_desktop.views.coe_panel import GovernanceRecordsWidget
from osom_desktop.views.contract_editor import ContractEditor
from osom_desktop.views.findings_panel import FindingsPanel
from osom_desktop.views.guidance_log import GuidanceLogWidget
from osom_desktop.views.inspector import InspectorWidget
from osom_desktop.views.text_editor import MapTextEditor

if TYPE_CHECKING:
    from osom_desktop.views.main_window import MainWindow

# Raise when docks are added or moved: a layout saved without them would untabify the
# new docks and squeeze them into slivers, so an older saved layout is not restored.
LAYOUT_VERSION = 3  # 3: every dock tabbed on the right, the map takes the rest
DOCK_WIDTH = 330  # at 1280x800 the map gets ~930 px: labels of at least 9 pt when fitted
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class WindowDocks:
    """The panels a main window shows beside its map, and their docks."""

    text: MapTextEditor
    inspector: InspectorWidget
    contract: ContractEditor
    guidance: GuidanceLogWidget
    assessments: AssessmentsWidget
    governance_records: GovernanceRecordsWidget
    findings: FindingsPanel
    text_dock: QDockWidget
    inspector_dock: QDockWidget
    contract_dock: QDockWidget
    guidance_dock: QDockWidget
    assessments_dock: QDockWidget
    governance_dock: QDockWidget
    findings_dock: QDockWidget


def add_dock(window: MainWindow, title: str, name: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    window.addDockWidget(RIGHT, dock)
    return dock


def build_docks(w: MainWindow) -> None:
    """Every panel in a dock on the right, tabbed in one column beside the map."""
    w.text = MapTextEditor(w.document, w.stack, filename="map")
    w.inspector = InspectorWidget(w.document, w.stack)
    w.text_dock = add_dock(w, "Map text", "textDock", w.text)
    w.inspector_dock = add_dock(w, "Inspector", "inspectorDock", w.inspector)
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
    w.contract = ContractEditor(w.document, w.stack)
    w.guidance = GuidanceLogWidget(w.document, w.stack)
    w.assessments = AssessmentsWidget(w.document, w.stack)
    w.contract_dock = add_dock(w, "Contract", "contractDock", w.contract)
    w.guidance_dock = add_dock(w, "Guidance", "guidanceDock", w.guidance)
    w.assessments_dock = add_dock(w, "Assessments", "assessmentsDock", w.assessments)
    # "Changes since the last assessment" draws its ghost on whichever map is shown.
    w.assessments.scene_getter = lambda: w.scene
    w.assessments.message_shown.connect(lambda message: w.statusBar().showMessage(message, 10000))
    # CoEs, mandates and unmet needs: the service's side of the governance loop.
    w.governance_records = GovernanceRecordsWidget(w.document, w.stack)
    w.governance_dock = add_dock(w, "Governance", "governanceDock", w.governance_records)
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
