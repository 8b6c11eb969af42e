"""Pens, brushes and fonts made once from a Theme (``Paints``), and CSS colours."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGlyphRun,
    QLinearGradient,
    QPainter,
    QPen,
    QTextLayout,
)

from osom_desktop.drawing.themes import AreaColours, Theme
from osom_desktop.model.wardley import (
    AreaKind,
    Method,
)

if TYPE_CHECKING:
    from osom_desktop.drawing.items.base import Texts

# Shaped labels kept per font before the cache starts again (a 5,000-component map
# has ~6,000 label lines; each kept line is a few hundred bytes).
SHAPED_MAX = 20_000


def qcolor(css: str) -> QColor:
    """A QColor from ``#rgb``/``#rrggbb``/``#rrggbbaa`` (CSS order: Qt reads 8 hex
    digits as ``#aarrggbb``, which would turn OWM's translucent colours inside out)."""
    if len(css) == 9 and css.startswith("#"):
        r, g, b, a = (int(css[i : i + 2], 16) for i in (1, 3, 5, 7))
        return QColor(r, g, b, a)
    return QColor(css)


def _pick_family(theme: Theme) -> tuple[str | None, bool]:
    """The first installed family the theme prefers, and whether to italicise."""
    installed = set(QFontDatabase.families())
    for family in theme.font_families:
        if family in installed:
            return family, False
    return None, theme.italic_fallback


def _font(family: str | None, italic: bool, px: float, bold: bool = False, it: bool = False) -> QFont:
    f = QFont(family) if family else QFont()
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    f.setItalic(italic or it)
    return f


class ShapedTexts:
    """Labels in one font, shaped once and drawn as glyph runs.

    ``QPainter.drawText`` itemizes and shapes its text again at every call, even when
    the text is clipped away: at 5,000 components a label-sized repaint after an edit
    draws ~250 labels, and shaping was about a tenth of the edit's instructions. A
    shaped line (``QTextLayout.glyphRuns``, which keeps the fallback fonts an emoji or
    a non-Latin name needs) draws in about half the time.

    Only on screen: a glyph run lands a subpixel away from ``drawText`` at some
    positions, so a kind of text is drawn one way everywhere on the canvas; and in a
    PDF or SVG, glyphs without their characters could not be searched or copied.
    """

    def __init__(self, font: QFont) -> None:
        self.font = font
        self._shaped: dict[str, tuple[float, list[QGlyphRun]]] = {}

    def draw(self, painter: QPainter, texts: Texts) -> None:
        for at, run in self.placed(texts):
            painter.drawGlyphRun(at, run)

    def placed(self, texts: Texts) -> list[tuple[QPointF, QGlyphRun]]:
        """``texts`` shaped and placed, for ``drawGlyphRun`` (an item that draws the
        same texts at every paint keeps them)."""
        out: list[tuple[QPointF, QGlyphRun]] = []
        for x, y, text in texts:
            entry = self._shaped.get(text)
            if entry is None:
                entry = self._shape(text)
            ascent, runs = entry
            at = QPointF(x, y - ascent)  # a run's glyphs sit on the layout's first baseline
            out.extend((at, run) for run in runs)
        return out

    def _shape(self, text: str) -> tuple[float, list[QGlyphRun]]:
        if len(self._shaped) >= SHAPED_MAX:
            self._shaped.clear()
        layout = QTextLayout(text, self.font)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1e9)  # one line, as drawText draws it
        layout.endLayout()
        entry = (line.ascent(), layout.glyphRuns())
        self._shaped[text] = entry
        return entry


class Paints:
    """Pens, brushes, fonts and metrics made once from a Theme.

    Building QPen/QFont objects in every ``paint`` call would dominate the cost of
    drawing thousands of items; items read them from here instead.
    """

    def __init__(self, theme: Theme, screen: bool = False) -> None:
        self.theme = theme
        t = theme
        family, italic = _pick_family(t)
        self.family = family
        self.italic = italic
        px = t.font_size
        self.font = _font(family, italic, px)
        self.anchor_font = _font(family, italic, px + 1, bold=True)
        self.note_font = _font(family, italic, px - 1, bold=True)
        self.small_font = _font(family, italic, px - 3, it=True)
        self.context_font = _font(family, italic, px - 2, it=True)
        self.grid_font = _font(family, italic, px, it=True)
        self.grid_bold = _font(family, italic, px, bold=True)
        self.caption_font = _font(family, italic, px - 2, bold=True)
        self.title_font = _font(family, italic, px + 7, bold=True)
        self.number_font = _font(family, italic, px - 1, bold=True)
        self.legend_title_font = _font(family, italic, px - 1, bold=True)
        self.legend_title_font.setUnderline(True)
        self.legend_font = _font(family, italic, px - 1)
        # Component and anchor names on screen (``ShapedTexts``); None: drawText.
        self.shaped = ShapedTexts(self.font) if screen else None
        self.anchor_shaped = ShapedTexts(self.anchor_font) if screen else None
        self.context_shaped = ShapedTexts(self.context_font) if screen else None  # links' labels and flow values
        self.fm = QFontMetricsF(self.font)
        self.anchor_fm = QFontMetricsF(self.anchor_font)
        self.note_fm = QFontMetricsF(self.note_font)
        self.small_fm = QFontMetricsF(self.small_font)
        self.context_fm = QFontMetricsF(self.context_font)
        self.grid_fm = QFontMetricsF(self.grid_font)
        self.grid_bold_fm = QFontMetricsF(self.grid_bold)
        self.caption_fm = QFontMetricsF(self.caption_font)
        self.title_fm = QFontMetricsF(self.title_font)
        self.number_fm = QFontMetricsF(self.number_font)
        self.legend_fm = QFontMetricsF(self.legend_font)
        self.legend_title_fm = QFontMetricsF(self.legend_title_font)

        def pen(css: str, width: float = 1.0) -> QPen:
            p = QPen(qcolor(css), width)
            p.setCosmetic(False)
            return p

        self.pen = pen
        self.no_pen = QPen(Qt.PenStyle.NoPen)
        self.no_brush = QBrush(Qt.BrushStyle.NoBrush)
        self.background = QBrush(qcolor(t.background))
        backdrop = qcolor(t.background)
        backdrop.setAlphaF(0.78)
        self.backdrop = QBrush(backdrop)
        self.axis_pen = pen(t.axis, t.axis_width)
        self.stage_pen = pen(t.stage_line, 1.0)
        self.stage_pen.setDashPattern([3.0, 3.0])
        self.grid_text_pen = pen(t.grid_text)
        corner = qcolor(t.grid_text)
        corner.setAlphaF(corner.alphaF() * 0.55)
        self.corner_pen = QPen(corner)
        self.title_pen = pen(t.title_text)
        self.component_pen = pen(t.component_stroke, t.component_width)
        self.component_brush = QBrush(qcolor(t.component_fill))
        self.component_text_pen = pen(t.component_text)
        self.anchor_text_pen = pen(t.anchor_text)
        self.submap_brush = QBrush(qcolor(t.submap_fill))
        self.evolved_pen = pen(t.evolved, t.component_width)
        self.evolved_brush = QBrush(qcolor(t.evolved_fill))
        self.evolved_text_pen = pen(t.evolved_text)
        self.evolve_arrow_pen = pen(t.evolved, 1.0)
        self.evolve_arrow_pen.setDashPattern([5.0, 4.0])
        self.evolved_head_brush = QBrush(qcolor(t.evolved))
        self.inertia_brush = QBrush(qcolor(t.inertia))
        self.method = {
            Method.BUILD: (QBrush(qcolor(t.build[0])), pen(t.build[1])),
            Method.BUY: (QBrush(qcolor(t.buy[0])), pen(t.buy[1])),
            Method.OUTSOURCE: (QBrush(qcolor(t.outsource[0])), pen(t.outsource[1])),
        }
        self.market_pen = pen(t.market_stroke, 1.0)
        self.market_dot_pen = pen(t.market_stroke, 2.0)
        self.market_brush = QBrush(qcolor(t.market_fill))
        self.market_motif_pen = pen(t.market_motif, 1.5)
        self.ecosystem_brush = QBrush(qcolor(t.ecosystem_fill))
        self.ecosystem_ring_pen = pen(t.ecosystem_ring)
        self.ecosystem_hatch_pen = pen(t.ecosystem_hatch)
        self.link_pen = pen(t.link, t.link_width)
        self.evolved_link_pen = pen(t.evolved, t.link_width)
        self.flow_pen = pen(t.flow, t.flow_width)
        self.flow_pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.flow_head_brush = QBrush(qcolor(t.flow_text))
        self.flow_text_pen = pen(t.flow_text)
        self.context_text_pen = pen(t.context_text)
        self.pipeline_pen = pen(t.pipeline_stroke, 1.5)
        self.pipeline_brush = QBrush(qcolor(t.pipeline_fill))
        self.note_pen = pen(t.note_text)
        self.annotation_pen = pen(t.annotation_stroke, 2.0)
        self.annotation_brush = QBrush(qcolor(t.annotation_fill))
        self.annotation_text_pen = pen(t.annotation_text)
        self.legend_pen = pen(t.legend_stroke)
        self.legend_brush = QBrush(qcolor(t.legend_fill))
        self.legend_text_pen = pen(t.legend_text)
        self.areas = {kind: self._area(getattr(t, kind.value)) for kind in AreaKind}
        self.accelerator_pen = pen(t.accelerator_stroke, 1.5)
        self.accelerator_text_pen = pen(t.accelerator_text)
        self.provided_pen = pen(t.provided, 2.0)
        self.provided_text_pen = pen(t.provided)
        self.selection_pen = pen(t.selection, 2.0)
        self.selection_pen.setDashPattern([3.0, 2.0])

    def _area(self, colours: AreaColours) -> tuple[QPen, QBrush]:
        stroke = qcolor(colours.stroke)
        stroke.setAlphaF(colours.stroke_opacity)
        fill = qcolor(colours.fill)
        fill.setAlphaF(colours.fill_opacity)
        p = QPen(stroke, 5.0)
        p.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return p, QBrush(fill)

    def accelerator_brush(self, rect: QRectF) -> QBrush:
        g = QLinearGradient(rect.bottomLeft(), rect.topRight())
        g.setColorAt(0.0, qcolor(self.theme.accelerator_light))
        g.setColorAt(1.0, qcolor(self.theme.accelerator_dark))
        return QBrush(g)

