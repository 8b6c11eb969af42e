"""Names in emoji and non-Latin scripts are drawn with a fallback font, not boxes.

The map's fonts (Helvetica, Arial, DejaVu Sans) have no emoji and no CJK; Qt falls
back through the system's fonts, so the fonts must be there (scripts/setup.sh
installs fonts-noto-color-emoji and fonts-noto-cjk) and the map's fonts must not
stop the fallback.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from osom_desktop.drawing.items.paints import Paints
from osom_desktop.drawing.themes import theme_for
from osom_desktop.export.image import ensure_qt_app


def _installed(family: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return family.casefold() in out.casefold()


def _draw(text: str) -> QImage:
    ensure_qt_app()
    image = QImage(120, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(Paints(theme_for("plain")).font)
    painter.drawText(QPointF(10, 40), text)
    painter.end()
    return image


def _pixels(image: QImage):
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]


@pytest.mark.skipif(not _installed("Noto Color Emoji"), reason="fonts-noto-color-emoji not installed")
def test_an_emoji_is_drawn_in_colour_not_as_a_box() -> None:
    coloured = [c for c in _pixels(_draw("\U0001f4a7")) if c.saturationF() > 0.3 and c.valueF() > 0.2]  # 💧
    assert len(coloured) > 10  # a box would be black outline only


@pytest.mark.skipif(not _installed("Noto Sans CJK"), reason="fonts-noto-cjk not installed")
def test_a_cjk_name_is_drawn_with_real_glyphs() -> None:
    missing = _draw("\U000f0000\U000f0001")  # private use: no font has them, drawn as boxes
    tea = _draw("\u8336\u6c34")  # 茶水
    assert tea != missing
    inked = [c for c in _pixels(tea) if c.valueF() < 0.5]
    assert len(inked) > 30
