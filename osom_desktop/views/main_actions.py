"""The main window's actions, menus and toolbar (split from main_window, issue 12).

Functions of the window rather than methods: the window keeps the document's
lifecycle, this module only says which QActions it has, their keys and where they
appear. ``WindowActions`` names every action, so code and tests can rely on
``window.act_*`` (and mypy can check them).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMenu, QToolButton, QWidget

if TYPE_CHECKING:
    from osom_desktop.views.main_window import MainWindow


class WindowActions:
    """The actions a main window has (built by ``build_actions`` and ``build_menus``)."""

    act_new: QAction
    act_open: QAction
    act_open_network: QAction
    act_save: QAction
    act_save_as: QAction
    act_import: QAction
    act_export_owm: QAction
    act_export_png: QAction
    act_export_svg: QAction
    act_export_mermaid: QAction
    act_copy_mermaid: QAction
    act_copy_image: QAction
    act_print: QAction
    act_export_pack: QAction
    act_close: QAction
    act_quit: QAction
    act_undo: QAction
    act_redo: QAction
    act_cut: QAction
    act_copy: QAction
    act_paste: QAction
    act_duplicate: QAction
    act_delete: QAction
    act_select_all: QAction
    act_find: QAction
    act_add: QAction
    act_link: QAction
    act_zoom_in: QAction
    act_zoom_out: QAction
    act_zoom_fit: QAction
    act_zoom_100: QAction
    act_show_text: QAction
    act_show_inspector: QAction
    act_show_findings: QAction
    act_show_contract: QAction
    act_show_guidance: QAction
    act_show_assessments: QAction
    act_show_governance: QAction
    act_record_assessment: QAction
    act_add_dependency: QAction
    act_add_measure: QAction
    act_load_catalogue: QAction
    act_accept_guidance: QAction
    act_reject_guidance: QAction
    act_shortcuts: QAction
    act_owm_syntax: QAction
    act_about: QAction
    recent_menu: QMenu
    _help_dialog: QDialog  # kept alive while shown (non-modal)
    _theme_actions: dict[str, QAction]
    _service_edit_actions: list[QAction]


def add_action(window: MainWindow, text: str, slot: Callable[..., Any], shortcut: Any = None,
               name: str | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    if name:
        action.setObjectName(name)
    tooltip_with_shortcut(action)
    window.addAction(action)
    return action


def watch_stack(window: MainWindow) -> None:
    stack = window.stack
    for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged, stack.redoTextChanged):
        signal.connect(window._refresh_undo_actions)
    refresh_undo_actions(window)


def refresh_undo_actions(window: MainWindow) -> None:
    """Undo/Redo enabled only with something to undo; what it is, in the tooltip.

    Only what differs is set: an edit sends up to four of the stack's signals, each
    calls this, and every change of an action makes its toolbar button and menu item
    take the whole action again and lay out (a tenth of an edit's time at 5,000
    components when each call set both actions' state and tooltip twice)."""
    stack = window.stack
    for action, can, what in ((window.act_undo, stack.canUndo(), stack.undoText()),
                              (window.act_redo, stack.canRedo(), stack.redoText())):
        enabled = can and not window.read_only
        if action.isEnabled() != enabled:
            action.setEnabled(enabled)
        verb = action.text().replace("&", "")
        tip = with_shortcut(action, f"{verb} {what}" if can and what else (verb if can else f"Nothing to {verb.lower()}"))
        if action.toolTip() != tip:
            action.setToolTip(tip)


def build_actions(w: MainWindow) -> None:
    K = QKeySequence.StandardKey  # noqa: N806 - short, as the shortcuts below read best
    w.act_new = add_action(w, "&New…", lambda: request_new_service(w), K.New)
    w.act_open = add_action(w, "&Open…", w.open_dialog, K.Open)
    w.act_open_network = add_action(w, "Open &Network…", w.network_requested.emit, "Ctrl+Shift+O")
    w.act_save = add_action(w, "&Save", w.save, K.Save)
    w.act_save_as = add_action(w, "Save &As…", w.save_as, K.SaveAs)
    w.act_import = add_action(w, "&Import OWM…", w.import_dialog, "Ctrl+I")
    w.act_export_owm = add_action(w, "OWM text…", lambda: w.export_dialog("owm"))
    w.act_export_png = add_action(w, "PNG image…", lambda: w.export_dialog("png"))
    w.act_export_svg = add_action(w, "SVG image…", lambda: w.export_dialog("svg"))
    w.act_export_mermaid = add_action(w, "Mermaid…", lambda: w.export_dialog("mermaid"))
    w.act_copy_mermaid = add_action(w, "Copy as &Mermaid", w.copy_as_mermaid)
    w.act_copy_image = add_action(w, "Copy Map as &Image", w.copy_map_image)
    w.act_print = add_action(w, "&Print…", w.print_map, K.Print)
    w.act_export_pack = add_action(w, "&Governance Pack…", w.export_pack_dialog, "Ctrl+Shift+P")
    w.act_close = add_action(w, "&Close", w.close, K.Close)
    w.act_quit = add_action(w, "&Quit", lambda: QApplication.closeAllWindows(), K.Quit)
    # Fixed labels (what would be undone goes in the tooltip): labels that change
    # length shift every toolbar button after them under the mouse.
    # Through the text pane: typing still waiting for its parse is applied first and is
    # the step undone (one history for the document, whichever key or button).
    w.act_undo = add_action(w, "&Undo", lambda: w.text.undo(), K.Undo, name="undo")
    w.act_redo = add_action(w, "&Redo", lambda: w.text.redo(), K.Redo, name="redo")
    # Ctrl+Y as well: Redo on Windows, and what many Linux programs accept beside the
    # platform's own Ctrl+Shift+Z. Listed by Help > Keyboard Shortcuts from here.
    redo_keys = QKeySequence.keyBindings(K.Redo)
    if QKeySequence("Ctrl+Y") not in redo_keys:
        redo_keys.append(QKeySequence("Ctrl+Y"))
    w.act_redo.setShortcuts(redo_keys)
    w.act_cut = add_action(w, "Cu&t", w.cut, K.Cut)
    w.act_copy = add_action(w, "&Copy", w.copy, K.Copy)
    w.act_paste = add_action(w, "&Paste", w.paste, K.Paste)
    w.act_duplicate = add_action(w, "D&uplicate", w.view.duplicate_selection, "Ctrl+D")
    w.act_delete = add_action(w, "&Delete", w.view.delete_selection)
    w.act_select_all = add_action(w, "Select &All", w.select_all, K.SelectAll)
    w.act_find = add_action(w, "&Find Component…", w.find_component, K.Find)
    w.act_add = add_action(w, "Add &Component", w.add_component, "Ctrl+Shift+A")
    w.act_link = add_action(w, "&Link Selected", w.link_selected, "Ctrl+L")
    w.act_zoom_in = add_action(w, "Zoom &In", w.view.zoom_in, K.ZoomIn)
    w.act_zoom_out = add_action(w, "Zoom &Out", w.view.zoom_out, K.ZoomOut)
    w.act_zoom_fit = add_action(w, "&Fit Map", w.view.zoom_fit, "Ctrl+0")
    w.act_zoom_100 = add_action(w, "&Actual Size", w.view.zoom_actual, "Ctrl+1")
    # The Map text and the inspector share their tabs with the service docks: their
    # shortcuts bring them to the front rather than hiding them when another tab is in
    # front (Qt's own toggleViewAction hid the Map text there, and what was typed next
    # went to the canvas as its one-key commands).
    w.act_show_text = dock_toggle(w, w.text_dock, "Ctrl+Shift+T")
    w.act_show_inspector = dock_toggle(w, w.inspector_dock, "Ctrl+Shift+I")
    for a in (w.act_undo, w.act_redo, w.act_show_text, w.act_show_inspector):
        w.addAction(a)
    build_service_actions(w)
    w.act_show_findings = dock_toggle(w, w.findings_dock, "Ctrl+Shift+F")


def changes_action(parent: QObject) -> QAction:
    """View > Changes Since the Last Assessment (checked while the assessed map is drawn
    faintly under the map): the window's, made before its Assessments panel is."""
    action = QAction("C&hanges Since the Last Assessment", parent)
    action.setObjectName("showChangesSinceAssessment")
    action.setCheckable(True)
    return action


def request_new_service(w: MainWindow) -> None:
    """File > New: ask the new service's name (Escape: nothing is made), then ask the
    app for a window on it, to be saved beside this service."""
    from osom_desktop.views.main_window import recent_files
    from osom_desktop.views.new_service import ask_service_name, folder_for_new

    taken = [s.name for s in w.directory.services] + [w.document.data.service.name]
    name = ask_service_name(w, taken)
    if name is not None:
        w.new_requested.emit(name, folder_for_new(w.path.resolve() if w.path else None, w.new_folder, recent_files()))


def build_service_actions(w: MainWindow) -> None:
    w.act_show_contract = dock_toggle(w, w.contract_dock, "Ctrl+Shift+C")
    w.act_show_guidance = dock_toggle(w, w.guidance_dock, "Ctrl+Shift+G")
    w.act_show_assessments = dock_toggle(w, w.assessments_dock, "Ctrl+Shift+E")
    w.act_show_governance = dock_toggle(w, w.governance_dock, "Ctrl+Shift+K")

    def in_dock(dock: QDockWidget, run: Callable[[], object]) -> Callable[[], None]:
        def show_and_run() -> None:
            dock.show()
            dock.raise_()
            run()

        return show_and_run

    w.act_record_assessment = add_action(
        w, "Record &Assessment…", in_dock(w.assessments_dock, lambda: w.assessments.record_dialog()), "Ctrl+Shift+R")
    w.act_add_dependency = add_action(
        w, "Add &Dependency…", in_dock(w.contract_dock, lambda: w.contract.add_dependency_dialog()))
    w.act_add_measure = add_action(
        w, "Add &Measure…", in_dock(w.contract_dock, lambda: w.contract.add_measure_dialog()))
    w.act_load_catalogue = add_action(
        w, "&Load Guidance Catalogue…", in_dock(w.guidance_dock, lambda: w.guidance.load_catalogue_dialog()))
    w.act_accept_guidance = add_action(
        w, "A&ccept Selected Guidance", in_dock(w.guidance_dock, lambda: w.guidance.accept_selected()))
    w.act_reject_guidance = add_action(
        w, "&Reject Selected Guidance…", in_dock(w.guidance_dock, lambda: w.guidance.reject_selected()))
    w._service_edit_actions = [w.act_record_assessment, w.act_add_dependency, w.act_add_measure,
                               w.act_accept_guidance, w.act_reject_guidance]


def build_menus(w: MainWindow) -> None:
    _file_menu(w)
    bar = w.menuBar()
    edit = bar.addMenu("&Edit")
    edit.addActions([w.act_undo, w.act_redo])
    edit.addSeparator()
    edit.addActions([w.act_cut, w.act_copy, w.act_paste, w.act_duplicate, w.act_delete])
    edit.addActions([w.act_copy_mermaid, w.act_copy_image])
    edit.addSeparator()
    edit.addActions([w.act_select_all, w.act_find, w.act_add, w.act_link])
    _view_menu(w)

    service = bar.addMenu("&Service")
    service.addActions([w.act_record_assessment, w.act_add_dependency, w.act_add_measure])
    service.addSeparator()
    service.addActions([w.act_load_catalogue, w.act_accept_guidance, w.act_reject_guidance])
    _help_menu(w)

    tools = w.addToolBar("Main")
    tools.setObjectName("mainToolbar")
    tools.addActions([w.act_new, w.act_open, w.act_save])
    tools.addSeparator()
    tools.addActions([w.act_undo, w.act_redo])
    quiet = _QuietUndoButtons(w, (w.act_undo, w.act_redo))
    tools.installEventFilter(quiet)
    for action in (w.act_undo, w.act_redo):
        button = tools.widgetForAction(action)
        if button is not None:
            button.installEventFilter(quiet)
    tools.addSeparator()
    tools.addActions([w.act_add, w.act_zoom_in, w.act_zoom_out, w.act_zoom_fit])


class _QuietUndoButtons(QObject):
    """Undo and Redo's toolbar buttons take their action's state and tooltip, and no
    more: a button that sees its action change takes the whole action again (text,
    icon, font...) and asks the toolbar, and through it the window with every dock, to
    lay out anew. Every edit changes the tooltip ("Undo Rename ..."), so every edit
    laid the window out and repainted the docks' edges (2 % of an edit's instructions
    at 5,000 components, by callgrind). Their labels are fixed and they are always shown, so there
    is nothing else to take, and nothing for the toolbar to lay out again."""

    def __init__(self, parent: QObject, actions: tuple[QAction, ...]) -> None:
        super().__init__(parent)
        self._actions = actions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.ActionChanged or not isinstance(event, QActionEvent):
            return False
        action = event.action()
        if action not in self._actions:
            return False
        if isinstance(watched, QToolButton):
            if action is watched.defaultAction():
                if watched.isEnabled() != action.isEnabled():
                    watched.setEnabled(action.isEnabled())
                if watched.toolTip() != action.toolTip():
                    watched.setToolTip(action.toolTip())
                return True
            return False
        return True  # the toolbar: its buttons keep their size


def _file_menu(w: MainWindow) -> None:
    file_menu = w.menuBar().addMenu("&File")
    file_menu.addActions([w.act_new, w.act_open])
    w.recent_menu = file_menu.addMenu("Open &Recent")
    w.recent_menu.aboutToShow.connect(w._fill_recent)
    file_menu.addAction(w.act_open_network)
    file_menu.addSeparator()
    file_menu.addActions([w.act_save, w.act_save_as])
    file_menu.addSeparator()
    file_menu.addAction(w.act_import)
    export = file_menu.addMenu("&Export")
    export.addActions([w.act_export_pack])
    export.addSeparator()
    export.addActions([w.act_export_owm, w.act_export_png, w.act_export_svg, w.act_export_mermaid])
    file_menu.addSeparator()
    file_menu.addAction(w.act_print)
    file_menu.addSeparator()
    file_menu.addActions([w.act_close, w.act_quit])


def _view_menu(w: MainWindow) -> None:
    view = w.menuBar().addMenu("&View")
    view.addActions([w.act_zoom_in, w.act_zoom_out, w.act_zoom_fit, w.act_zoom_100])
    view.addSeparator()
    view.addAction(w.act_changes)  # its panel is built after the first paint (main_docks)
    theme_menu = view.addMenu("&Theme")
    w._theme_actions = {}
    for key, label in (("system", "Follow the &System"), ("light", "&Light"), ("dark", "&Dark")):
        action = theme_menu.addAction(label, _theme_setter(w, key))
        action.setCheckable(True)
        w._theme_actions[key] = action
    view.addSeparator()
    view.addActions([w.act_show_text, w.act_show_inspector])
    view.addActions([w.act_show_contract, w.act_show_guidance, w.act_show_assessments,
                     w.act_show_governance, w.act_show_findings])


def _theme_setter(w: MainWindow, key: str) -> Callable[[], None]:
    return lambda: w.set_theme_choice(key)


def apply_theme(w: MainWindow) -> None:
    """The map is drawn dark when the person (or, by default, the system) says so."""
    from osom_desktop.drawing.themes import DARK

    choice = str(QSettings().value("theme", "system"))
    if choice not in ("system", "light", "dark"):
        choice = "system"
    if choice != "system" and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Unknown:
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light)
    dark = choice == "dark" or (choice == "system" and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark)
    for key, action in getattr(w, "_theme_actions", {}).items():
        action.setChecked(key == choice)
    from osom_desktop.views.palette import follow_scheme

    follow_scheme(dark)  # the docks and menus too, where the platform ignores the scheme
    wanted = DARK if dark else None
    if w.scene.theme_override != wanted:
        w.scene.set_theme(wanted)
        if (assessments := w.built_panel("assessments")) is not None:
            assessments.refresh_ghost()  # drawn again in the new theme's colours


def fill_recent(w: MainWindow, recent: list[Path]) -> None:
    w.recent_menu.clear()
    for p in recent:
        w.recent_menu.addAction(str(p), _opener(w, p))
    if not recent:
        w.recent_menu.addAction("(none)").setEnabled(False)


def _opener(w: MainWindow, path: Path) -> Callable[[], None]:
    return lambda: w.open_or_delegate(path)


def _help_menu(w: MainWindow) -> None:
    help_menu = w.menuBar().addMenu("&Help")
    w.act_shortcuts = add_action(w, "&Keyboard Shortcuts", lambda: _show_shortcuts(w), "Ctrl+/")
    w.act_owm_syntax = add_action(w, "&OWM Syntax", lambda: _show_owm_syntax(w), QKeySequence.StandardKey.HelpContents)
    help_menu.addActions([w.act_shortcuts, w.act_owm_syntax])
    help_menu.addSeparator()
    w.act_about = help_menu.addAction("&About OSOM Desktop", lambda: _show_about(w))
    w.act_about.setMenuRole(QAction.MenuRole.AboutRole)


def _show_shortcuts(w: MainWindow) -> None:
    from osom_desktop.views.help_dialogs import show_shortcuts
    from osom_desktop.views.map_view import CANVAS_KEYS

    w._help_dialog = show_shortcuts(w, CANVAS_KEYS)


def _show_owm_syntax(w: MainWindow) -> None:
    from osom_desktop.views.help_dialogs import show_owm_syntax

    w._help_dialog = show_owm_syntax(w)


def _show_about(w: MainWindow) -> None:
    from osom_desktop.views.about_dialog import show_about

    show_about(w)


def dock_toggle(window: MainWindow, dock: QDockWidget, shortcut: str) -> QAction:
    """Show, bring to the front and focus a dock; hide it if it already has the focus."""
    action = QAction(dock.windowTitle(), window)
    action.setCheckable(True)
    action.setShortcut(QKeySequence(shortcut))
    action.setObjectName(f"show_{dock.objectName()}")

    def toggle() -> None:
        focus = QApplication.focusWidget()
        if dock.isHidden() or dock.visibleRegion().isEmpty() or focus is None or not dock.isAncestorOf(focus):
            dock.show()
            dock.raise_()
            focus_first(dock.widget())
        else:
            dock.hide()
        action.setChecked(not dock.isHidden())

    action.triggered.connect(lambda _checked: toggle())
    dock.visibilityChanged.connect(lambda _visible: action.setChecked(not dock.isHidden()))
    action.setChecked(not dock.isHidden())
    window.addAction(action)
    return action


def tooltip_with_shortcut(action: QAction, text: str | None = None) -> None:
    """The tooltip names the shortcut, so the mouse teaches the keyboard."""
    action.setToolTip(with_shortcut(action, text))


def with_shortcut(action: QAction, text: str | None = None) -> str:
    """``text`` (else the action's own) followed by the action's shortcut."""
    if text is None:
        text = action.text().replace("&", "").rstrip("…")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    if keys and f"({keys})" not in text:
        text = f"{text} ({keys})"
    return text


def focus_first(host: QWidget) -> None:
    """Keyboard focus to the first field of ``host`` a person could Tab to."""
    w = host.nextInFocusChain()
    while w is not None and w is not host:
        if (host.isAncestorOf(w) and w.isVisibleTo(host) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            w.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        w = w.nextInFocusChain()
