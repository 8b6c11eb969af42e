"""File > New asks for the new service's name (issue 14, a person-like tester).

It made an "Untitled service" nobody asked for, whose name then had to be found in the
Contract dock. Now a small question comes first, with a default already selected (so
typing replaces it): Enter makes the service, Escape makes nothing. The name is the
contract's name, the map's title (OWM ``title``) and the file name Save offers, in the
folder of the service the person was working on (services live in one folder), or the
last folder they used when that was the app's sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from osom_desktop.model.service import ServiceDocument

DEFAULT_NAME = "New service"
MAX_NAME = 500  # the model's limit for a name


class NewServiceDialog(QDialog):
    """The new service's name: ``name_field`` (object name ``serviceName``)."""

    def __init__(self, parent: QWidget | None, default: str, taken: set[str]) -> None:
        super().__init__(parent)
        self.setObjectName("newServiceDialog")
        self.setWindowTitle("New Service")
        self._taken = {t.casefold() for t in taken}
        layout = QVBoxLayout(self)
        label = QLabel("&Name of the new service:")
        self.name_field = QLineEdit(default)
        self.name_field.setObjectName("serviceName")
        self.name_field.setMaxLength(MAX_NAME)
        self.name_field.setMinimumWidth(320)
        self.name_field.selectAll()
        label.setBuddy(self.name_field)
        self.hint = QLabel()
        self.hint.setObjectName("newServiceHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for widget in (label, self.name_field, self.hint, self.buttons):
            layout.addWidget(widget)
        self.ok_button.setDefault(True)  # Enter creates (set once in the dialog, or Qt picks Cancel)
        self.name_field.textChanged.connect(self._check)
        self._check(default)

    def name(self) -> str:
        return " ".join(self.name_field.text().split())

    def _check(self, _text: str) -> None:
        name = self.name()
        self.ok_button.setEnabled(bool(name))
        if not name:
            self.hint.setText("A service needs a name.")
        elif name.casefold() in self._taken:
            self.hint.setText(f"A service named {name} is already in this folder: "
                              "you can still make another, or choose a name of its own.")
        else:
            self.hint.setText("Used for the contract, the map's title and the file name; "
                              "it can be changed later in the Contract dock.")

    def accept(self) -> None:
        if self.name():  # Enter on a blank name does nothing: the hint says why
            super().accept()


def free_name(taken: Iterable[str], base: str = DEFAULT_NAME) -> str:
    """``base``, or ``base 2``, ``base 3``... whichever no service in ``taken`` has."""
    used = {t.casefold() for t in taken}
    if base.casefold() not in used:
        return base
    n = 2
    while f"{base} {n}".casefold() in used:
        n += 1
    return f"{base} {n}"


def ask_service_name(parent: QWidget | None, taken: Iterable[str] = ()) -> str | None:
    """The name the person gave the new service, or None if they cancelled."""
    taken = set(taken)
    dialog = NewServiceDialog(parent, free_name(taken), taken)
    try:
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def new_service_document(name: str) -> ServiceDocument:
    """An empty service called ``name``: its contract and its map (OWM title) both."""
    data = ServiceDocument()
    data.service.name = name
    data.map.title = name
    return data


def file_name_for(name: str) -> str:
    """A file name for a service called ``name``: what a file system refuses or
    misreads (a slash, a colon, control characters, a leading dot) replaced."""
    safe = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", " - ", name)
    safe = " ".join(safe.split()).strip(" .-") or DEFAULT_NAME
    safe = re.sub(r"( - )+", " - ", safe)
    return f"{safe[:120]}.osom"


def sample_folder() -> Path:
    """Where the app keeps its copy of the sample service (``samples.sample_file``)."""
    from osom_desktop.paths import user_data_dir

    return user_data_dir() / "samples"


def folder_for_new(current: Path | None, carried: Path | None, recent: Iterable[Path]) -> Path | None:
    """The folder Save offers a new service: the current service's (or the one a new
    service carried on), but never the app's own sample folder, hidden in its data
    folder (a tester started on the sample, made a new service, and Save offered to
    put it there, issue 14); then the folder of the last file used, else None (home)."""
    samples = _resolved(sample_folder())
    here = current.parent if current is not None else carried
    if here is not None and _resolved(here) != samples:
        return here
    for path in recent:
        if _resolved(path.parent) != samples and path.parent.is_dir():
            return path.parent
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:  # a folder gone or unreadable: compared as written
        return path


def save_start(name: str, current: Path | None, folder: Path | None) -> str:
    """Where Save As opens: the file itself, else a file named after the service in
    ``folder`` (where the service it was made from lives), else in the home folder."""
    if current is not None:
        return str(current)
    for place in (folder, Path.home()):
        if place is not None and place.is_dir():
            return str(place / file_name_for(name))
    return file_name_for(name)
