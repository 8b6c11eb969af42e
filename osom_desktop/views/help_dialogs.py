"""Help > Keyboard Shortcuts and Help > OWM Syntax.

The shortcut list is read from the window's own actions (and the canvas's key table),
so it cannot drift from what the keys really do. The syntax reference lists every line
form the OWM reader understands, each with an example that reads back as shown.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QMenu, QTextBrowser, QVBoxLayout, QWidget

# (keyword, form, example, what it draws). Every keyword the reader knows is here: a
# test checks the list against osom_desktop.owm.names.KEYWORDS.
OWM_SYNTAX: tuple[tuple[str, str, str, str], ...] = (
    ("title", "title NAME", "title Tea Shop", "The map's title, drawn above it."),
    ("anchor", "anchor NAME [VISIBILITY, EVOLUTION]", "anchor Business [0.95, 0.63]",
     "A user or need at the top of the chain, in bold. Numbers run 0 to 1."),
    ("component", "component NAME [VISIBILITY, EVOLUTION] label [DX, DY] (build|buy|outsource) inertia",
     "component Kettle [0.43, 0.35] label [10, -8] (buy) inertia",
     "A component; label, method and inertia are optional."),
    ("market", "market NAME [VISIBILITY, EVOLUTION]", "market Tea Market [0.5, 0.8]", "A market symbol."),
    ("ecosystem", "ecosystem NAME [VISIBILITY, EVOLUTION]", "ecosystem Partners [0.5, 0.6]",
     "An ecosystem symbol."),
    ("submap", "submap NAME [VISIBILITY, EVOLUTION] url(REF)", "submap Payments [0.4, 0.5] url(payRef)",
     "A component with a map of its own; url names a url line."),
    ("url", "url REF [ADDRESS]", "url payRef [https://example.org/payments]", "Where a submap points."),
    ("build", "build NAME", "build Kettle", "Method: built in-house (also `(build)` after a component)."),
    ("buy", "buy NAME", "buy Kettle", "Method: bought as a product."),
    ("outsource", "outsource NAME", "outsource Kettle", "Method: outsourced."),
    ("evolve", "evolve NAME EVOLUTION label [DX, DY]", "evolve Kettle 0.62 label [8, -10]",
     "Where a component is heading: a red copy and a dashed arrow."),
    ("->", "NAME->NAME; CONTEXT", "Cup of Tea->Hot Water; must be hot",
     "A dependency: the first needs the second. Text after ; is drawn on the line."),
    ("+>", "NAME+>NAME, NAME+<NAME, NAME+<>NAME, NAME+'LABEL'>NAME", "Hot Water+'£1.20'>Kettle",
     "A flow of value between components, with an optional label."),
    ("pipeline", "pipeline NAME [EVOLUTION_START, EVOLUTION_END] { component NAME [EVOLUTION] }",
     "pipeline Kettle [0.30, 0.70]", "A range of ways to provide a component; its members sit on it."),
    ("{", "{ … }", "{\n  component Electric [0.45]\n}", "The block after a pipeline line: its members."),
    ("}", "}", "}", "Ends a pipeline's block."),
    ("note", "note TEXT [VISIBILITY, EVOLUTION]", "note Standard kettles are cheap [0.35, 0.60]",
     "Free text on the map."),
    ("annotation", "annotation NUMBER [[V, E], [V, E]] TEXT", "annotation 1 [[0.43, 0.49], [0.08, 0.79]] Standardising",
     "A numbered marker (at one or more points) explained in the legend."),
    ("annotations", "annotations [VISIBILITY, EVOLUTION]", "annotations [0.72, 0.03]",
     "Where the annotation legend box goes."),
    ("pioneers", "pioneers [V1, E1, V2, E2]", "pioneers [0.9, 0.1, 0.6, 0.3]", "Shades where pioneers work."),
    ("settlers", "settlers [V1, E1, V2, E2]", "settlers [0.6, 0.3, 0.4, 0.6]", "Shades where settlers work."),
    ("townplanners", "townplanners [V1, E1, V2, E2]", "townplanners [0.4, 0.6, 0.1, 0.9]",
     "Shades where town planners work."),
    ("accelerator", "accelerator NAME [VISIBILITY, EVOLUTION]", "accelerator Open source [0.5, 0.6]",
     "A force speeding evolution up (an arrow)."),
    ("deaccelerator", "deaccelerator NAME [VISIBILITY, EVOLUTION]", "deaccelerator Regulation [0.5, 0.4]",
     "A force slowing evolution down."),
    ("evolution", "evolution STAGE->STAGE->STAGE->STAGE", "evolution Genesis->Custom->Product->Commodity",
     "Names of the four evolution stages on the axis."),
    ("style", "style plain|wardley|colour|handwritten|dark", "style wardley", "How the map is drawn."),
    ("size", "size [WIDTH, HEIGHT]", "size [1100, 800]", "The size OWM draws the map at (kept, not used here)."),
    ("valuechain", "valuechain NAME [VISIBILITY] ...", "valuechain Tea [0.5]",
     "Read and kept as written (an older OWM form)."),
    ("//", "// COMMENT  and  /* … */", "// who asked for this", "Comments: kept as written, not drawn."),
)


def shortcut_rows(window: QMainWindow, canvas_keys: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every action of the window that has a shortcut, by menu."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu, f"{path} › {action.text().replace('&', '')}")
            elif not action.isSeparator():
                seen.add(id(action))
                keys = _keys(action)
                if keys:
                    rows.append((path, action.text().replace("&", "").rstrip("…"), keys))

    for top in window.menuBar().actions():
        top_menu = top.menu()
        if isinstance(top_menu, QMenu):
            walk(top_menu, top.text().replace("&", ""))
    for action in window.actions():
        if id(action) not in seen and (keys := _keys(action)):
            rows.append(("Window", action.text().replace("&", "").rstrip("…"), keys))
    rows.extend(("Map canvas", what, keys) for keys, what in canvas_keys)
    return rows


def _keys(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())


def _show(parent: QWidget, title: str, body: str, name: str) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.resize(720, 620)
    text = QTextBrowser()
    text.setObjectName(f"{name}Text")
    text.setHtml(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.show()  # not modal: keep it open beside the map while learning
    return dialog


def show_shortcuts(window: QMainWindow, canvas_keys: tuple[tuple[str, str], ...] = ()) -> QDialog:
    rows = shortcut_rows(window, canvas_keys)
    body = ["<table cellpadding='4'><tr><th align='left'>Where</th><th align='left'>What</th>"
            "<th align='left'>Keys</th></tr>"]
    for where, what, keys in rows:
        body.append(f"<tr><td>{html.escape(where)}</td><td>{html.escape(what)}</td><td><b>{html.escape(keys)}</b></td></tr>")
    body.append("</table>")
    return _show(window, "Keyboard Shortcuts", "".join(body), "shortcutsDialog")


def show_owm_syntax(parent: QWidget) -> QDialog:
    body = ["<p>Every line the map text understands. Numbers are visibility (0 bottom, 1 top) "
            "then evolution (0 genesis, 1 commodity). A line not understood is listed under "
            "the text with its line number and kept as written.</p><table cellpadding='4'>"]
    for _keyword, form, example, meaning in OWM_SYNTAX:
        body.append(f"<tr><td><code>{html.escape(form)}</code><br><i>{html.escape(meaning)}</i></td>"
                    f"<td><pre>{html.escape(example)}</pre></td></tr>")
    body.append("</table>")
    return _show(parent, "OWM Syntax", "".join(body), "owmSyntaxDialog")
