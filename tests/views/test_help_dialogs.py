"""Help menu: shortcuts read from the actions themselves, and the OWM syntax reference."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser

from osom_desktop.owm import parse_owm
from osom_desktop.owm.names import KEYWORDS
from osom_desktop.views.help_dialogs import OWM_SYNTAX
from osom_desktop.views.main_window import MainWindow


def _help_dialog(name: str) -> QDialog:
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]
    assert found, name
    return found[0]


def test_keyboard_shortcuts_lists_every_shortcut_the_window_has(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.view.setFocus()
    qtbot.keyClick(w.view, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    dialog = _help_dialog("shortcutsDialog")
    text = dialog.findChild(QTextBrowser).toPlainText()
    for action in (w.act_undo, w.act_link, w.act_find, w.act_zoom_fit, w.act_show_contract):
        keys = action.shortcut().toString()
        assert keys and keys in text, action.text()
    assert "Link: the selected component depends on one you pick by typing" in text
    assert "(Ctrl+L)" in w.act_link.toolTip()  # tooltips carry the shortcut too
    dialog.close()


def test_owm_syntax_covers_every_keyword_and_its_examples_read_cleanly(qtbot) -> None:
    listed = {keyword for keyword, *_ in OWM_SYNTAX}
    assert KEYWORDS <= listed
    w = MainWindow()
    qtbot.addWidget(w)
    w.act_owm_syntax.trigger()
    text = _help_dialog("owmSyntaxDialog").findChild(QTextBrowser).toPlainText()
    assert "evolve NAME EVOLUTION" in text and "pipeline Kettle [0.30, 0.70]" in text
    for keyword, _form, example, _ in OWM_SYNTAX:
        if keyword in ("{", "}", "valuechain"):
            continue
        owm = f"component Kettle [0.4, 0.3]\ncomponent Hot Water [0.5, 0.5]\ncomponent Cup of Tea [0.7, 0.6]\nurl payRef [x]\n{example}"
        problems = [d.message for d in parse_owm(owm).diagnostics if "declared again" not in d.message]
        assert problems == [], example
