"""Picking a service by name: a list of the services the app knows, and a check on
names that match none of them.

"Provided by" and a contract dependency name another service. Typed freely, a typo
("Powr Grid") made a link to nothing and nobody was told. Here the known names are
offered in a list, and a name matching none is said so before it is used, with the
nearest known name offered ("did you mean …").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from osom_desktop.analysis.directory import normalise_name

# difflib's ratio: "Powr Grid" / "Power Grid" is 0.95, "Water Board" / "Power Grid" 0.38.
NEAR_CUTOFF = 0.6


class ServicePicker(QComboBox):
    """An editable list of service names; reads like the line edit it replaces (``text``)."""

    def __init__(self, names: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.completer()  # an editable combo box has one
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.set_names(names)
        self.setEditText("")

    def set_names(self, names: Iterable[str]) -> None:
        current = self.currentText()
        self.blockSignals(True)
        self.clear()
        self.addItems(sorted({n for n in names if n}, key=str.casefold))
        self.setEditText(current)
        self.blockSignals(False)

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:  # noqa: N802 - the QLineEdit name it stands in for
        self.setEditText(text)

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802
        edit = self.lineEdit()  # an editable combo box has one
        if edit is not None:
            edit.setPlaceholderText(text)

    def selectAll(self) -> None:  # noqa: N802
        edit = self.lineEdit()
        if edit is not None:
            edit.selectAll()


def nearest_name(name: str, names: Iterable[str]) -> str | None:
    """The known name closest to ``name`` (ignoring case), if any is close."""
    names = list(names)
    folded = [n.casefold() for n in names]
    near = difflib.get_close_matches(name.casefold(), folded, n=1, cutoff=NEAR_CUTOFF)
    return names[folded.index(near[0])] if near else None


def is_known(name: str, names: Iterable[str]) -> bool:
    wanted = normalise_name(name)
    return any(normalise_name(n) == wanted for n in names)


def confirm_service_name(parent: QWidget, title: str, name: str, names: Iterable[str],
                         verb: str = "Use") -> str | None:
    """``name`` matches no known service: ask. The name to use (the suggestion, or
    ``name`` itself when the person says it is a service not in the folder yet), or
    None when the person cancels."""
    names = sorted(set(names), key=str.casefold)
    near = nearest_name(name, names)
    where = "in this folder or your recent files" if names else "known here (no other service files were found)"
    box = QMessageBox(QMessageBox.Icon.Question, title, "", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a service name is never markup
    if near is not None:
        box.setText(f"No service {where} is called \u201c{name}\u201d. Did you mean \u201c{near}\u201d?")
        use = box.addButton(f"Use \u201c{near}\u201d", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setText(f"No service {where} is called \u201c{name}\u201d.")
        use = None
    keep = box.addButton(f"{verb} \u201c{name}\u201d anyway", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(use or cancel)
    box.exec()
    clicked = box.clickedButton()
    if use is not None and clicked is use:
        return near
    if clicked is keep:
        return name
    return None
