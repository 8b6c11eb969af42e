"""Fitness in the governance pack: each measure's chart and spend against budget.

The charts come from ``osom_desktop.fitness.charts`` (matplotlib): inline SVG in the
HTML pack, and the same SVG drawn as vector paths by QSvgRenderer on the PDF's pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from osom_desktop.fitness.budget import BudgetBar, budget_bars
from osom_desktop.model.service import ServiceDocument

# A chart per measure with values; past this many the pack shows the first ones (a
# contract with dozens of measures is rare, and the table still lists them all).
MAX_CHARTS = 24


@dataclass(frozen=True, slots=True)
class FitnessCharts:
    measures: list[str]  # SVG text, one per measure with values
    budget: str  # SVG text, or "" with no budgets
    bars: list[BudgetBar]


def fitness_charts(doc: ServiceDocument, prefix: str) -> FitnessCharts:
    measured = [m for m in doc.contract.measures if m.values][:MAX_CHARTS]
    bars = budget_bars(doc)
    if not measured and not bars:
        return FitnessCharts([], "", bars)
    # matplotlib loads only for a service with fitness data: it is most of a pack
    # process's start-up (~0.5 s) and most services have none yet.
    from osom_desktop.fitness.charts import Series, budget_figure, measure_figure, svg_text

    charts = [svg_text(measure_figure(Series.of(m)), f"{prefix}{i}-")
              for i, m in enumerate(measured)]
    return FitnessCharts(charts, svg_text(budget_figure(bars), f"{prefix}b-") if bars else "", bars)


def html_charts(doc: ServiceDocument, prefix: str) -> dict[str, Any]:
    f = fitness_charts(doc, prefix)
    return {"measures": [Markup(c) for c in f.measures], "budget": Markup(f.budget), "bars": f.bars}


def draw_svg(painter: Any, svg: str, x: float, y: float, width: float) -> float:
    """Draw ``svg`` as vector at (x, y), ``width`` wide; returns the height used."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtSvg import QSvgRenderer

    r = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    box = r.viewBoxF()
    h = width * box.height() / max(1.0, box.width())
    r.render(painter, QRectF(x, y, width, h))
    return h


def chart_pages(charts: FitnessCharts, width: float, height: float, gap: float) -> list[list[str]]:
    """The charts laid out down pages of ``height`` (each chart ``width`` wide)."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    pages: list[list[str]] = []
    used = height
    for svg in [*charts.measures, *([charts.budget] if charts.budget else [])]:
        box = QSvgRenderer(QByteArray(svg.encode("utf-8"))).viewBoxF()
        h = width * box.height() / max(1.0, box.width())
        if used + h > height:
            pages.append([])
            used = 0.0
        pages[-1].append(svg)
        used += h + gap
    return pages
