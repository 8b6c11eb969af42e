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


def _draw(text: str, shaped: bool = False, x: float = 10, y: float = 40) -> QImage:
    """``text`` at (x, baseline y) in the map's name font: by drawText, as exports draw
    names, or ``shaped`` once into glyph runs, as the canvas draws them."""
    ensure_qt_app()
    image = QImage(160, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paints = Paints(theme_for("plain"), screen=True)
    painter.setFont(paints.font)
    painter.setPen(QColor("black"))
    if shaped:
        assert paints.shaped is not None
        paints.shaped.draw(painter, [(x, y, text)])
    else:
        painter.drawText(QPointF(x, y), text)
    painter.end()
    return image


def _inked_box(image: QImage) -> tuple[int, int, int, int]:
    xs, ys = [], []
    for x in range(image.width()):
        for y in range(image.height()):
            if image.pixelColor(x, y) != QColor("white"):
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def _pixels(image: QImage):
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]


@pytest.mark.skipif(not _installed("Noto Color Emoji"), reason="fonts-noto-color-emoji not installed")
@pytest.mark.parametrize("shaped", [False, True], ids=["drawText", "shaped"])
def test_an_emoji_is_drawn_in_colour_not_as_a_box(shaped: bool) -> None:
    coloured = [c for c in _pixels(_draw("\U0001f4a7", shaped)) if c.saturationF() > 0.3 and c.valueF() > 0.2]  # 💧
    assert len(coloured) > 10  # a box would be black outline only


@pytest.mark.skipif(not _installed("Noto Sans CJK"), reason="fonts-noto-cjk not installed")
@pytest.mark.parametrize("shaped", [False, True], ids=["drawText", "shaped"])
def test_a_cjk_name_is_drawn_with_real_glyphs(shaped: bool) -> None:
    missing = _draw("\U000f0000\U000f0001", shaped)  # private use: no font has them, drawn as boxes
    tea = _draw("\u8336\u6c34", shaped)  # 茶水
    assert tea != missing
    inked = [c for c in _pixels(tea) if c.valueF() < 0.5]
    assert len(inked) > 30


@pytest.mark.parametrize("text", ["Payments gateway", "Naïve Ünïcode", "Mixed \u8336 and \U0001f4a7 name"])
@pytest.mark.parametrize("x", [10.0, 10.3, 10.77])
def test_a_name_drawn_on_screen_lands_where_drawtext_puts_it(text: str, x: float) -> None:
    """The canvas draws names from glyph runs shaped once (Paints.shaped), exports with
    drawText: the same name covers the same place, give or take a pixel's edge."""
    by_text = _inked_box(_draw(text, False, x, 40.4))
    shaped = _inked_box(_draw(text, True, x, 40.4))
    assert all(abs(a - b) <= 1 for a, b in zip(by_text, shaped, strict=True)), (by_text, shaped)


def test_a_name_drawn_on_screen_twice_is_shaped_once() -> None:
    """Shaping again at every paint is what the glyph runs save: a second draw of the
    same name uses what the first shaped (and draws the same pixels)."""
    ensure_qt_app()
    paints = Paints(theme_for("plain"), screen=True)
    assert paints.shaped is not None
    first = QImage(160, 60, QImage.Format.Format_ARGB32)
    first.fill(QColor("white"))
    painter = QPainter(first)
    paints.shaped.draw(painter, [(10.0, 40.0, "Payments gateway")])
    painter.end()
    kept = dict(paints.shaped._shaped)  # noqa: SLF001 - what was shaped
    second = QImage(first)
    second.fill(QColor("white"))
    painter = QPainter(second)
    paints.shaped.draw(painter, [(10.0, 40.0, "Payments gateway")])
    painter.end()
    assert paints.shaped._shaped["Payments gateway"] is kept["Payments gateway"]  # noqa: SLF001
    assert first == second
    assert Paints(theme_for("plain")).shaped is None  # an export draws text as text
