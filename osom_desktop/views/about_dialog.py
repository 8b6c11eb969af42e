"""Help > About: what this is, its version and licence, and where it keeps things.

A person asked by IT "where does it keep its files?" finds the answer here: the recovery
folder (unsaved work), the settings file, the cache, and where the app itself is installed.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLayout, QVBoxLayout, QWidget

from osom_desktop import __version__
from osom_desktop.paths import ICONS, user_cache_dir, user_data_dir

LICENCE = "MIT licence"


def about_facts() -> list[tuple[str, str]]:
    """(label, value) rows shown in the dialog; also what a bug report should carry."""
    import osom_desktop

    return [
        ("Version", f"{__version__}"),
        ("Licence", LICENCE),
        ("Unsaved work (recovery)", str(user_data_dir() / "recovery")),
        ("Settings", QSettings().fileName()),
        ("Cache", str(user_cache_dir())),
        ("Installed in", str(Path(osom_desktop.__file__).resolve().parent)),
        ("Runs on", f"Python {platform.python_version()}, Qt for Python {pyside_version}, {platform.system()}"),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About OSOM Desktop")
        layout = QVBoxLayout(self)
        icon = QLabel()
        icon.setPixmap(QIcon(str(ICONS / "osom-desktop.svg")).pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(icon)
        title = QLabel("OSOM Desktop")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        blurb = QLabel("Wardley maps, service contracts and governance packs for organisations "
                       "run on the Organised Services Operating Model.")
        blurb.setWordWrap(True)
        blurb.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(blurb)
        form = QFormLayout()
        for label, value in about_facts():
            field = QLabel(value)
            field.setTextFormat(Qt.TextFormat.PlainText)
            # Paths are for copying into an email to IT or a file manager.
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            field.setWordWrap(True)
            form.addRow(f"{label}:", field)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        blurb.setMinimumWidth(480)
        # As tall as its contents: wrapped labels otherwise leave gaps between the rows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)


def show_about(parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m osom_desktop.views.about_dialog
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    AboutDialog().exec()
