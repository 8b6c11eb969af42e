"""The window's own colours for View > Theme > Dark where the system cannot give them.

``QStyleHints.setColorScheme`` asks the platform theme for dark widgets. Where there
is none (X11 without a desktop's platform plugin, Xvfb, a bare window manager) the
request is ignored: the map turned dark while menus, docks and the text pane stayed
light, a glaring mix. There the Fusion style's palette is darkened by hand; choosing
Light or the system's scheme again restores the style's own palette.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_DARK = {
    QPalette.ColorRole.Window: "#2b2b30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f1f24",
    QPalette.ColorRole.AlternateBase: "#2b2b30",
    QPalette.ColorRole.ToolTipBase: "#3a3a40",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#8c8c94",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#34343a",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff7b72",
    QPalette.ColorRole.Link: "#6cb6ff",
    QPalette.ColorRole.LinkVisited: "#b392f0",
    QPalette.ColorRole.Highlight: "#2f6feb",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Light: "#4a4a52",
    QPalette.ColorRole.Midlight: "#3e3e45",
    QPalette.ColorRole.Mid: "#2a2a2f",
    QPalette.ColorRole.Dark: "#18181c",
    QPalette.ColorRole.Shadow: "#000000",
}
_DISABLED_TEXT = "#7a7a82"
_set_by_us = False


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT))
    return palette


def follow_scheme(dark: bool) -> None:
    """Dark (or not) widgets: the platform's when it honoured the scheme, else ours."""
    global _set_by_us
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    scheme = QGuiApplication.styleHints().colorScheme()
    honoured = scheme == (Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    if dark and not honoured:
        app.setPalette(dark_palette())
        _set_by_us = True
    elif _set_by_us:
        app.setPalette(app.style().standardPalette())
        _set_by_us = False
