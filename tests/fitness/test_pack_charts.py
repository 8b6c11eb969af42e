"""Measure charts and spend against budget in the governance pack: inline SVG, vector PDF."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from osom_desktop.model.service import Budget, Measure, MeasureDirection, RecordedValue, Service, ServiceDocument
from osom_desktop.storage import save_document
from tests.cli.test_cli import osom
from tests.export.test_pack import check_html_is_inert


def document() -> ServiceDocument:
    d = ServiceDocument(service=Service(name="Payments"))
    d.contract.measures = [
        Measure(name="Uptime $ <script>alert(1)</script> -->", unit="%", target=99.5,
                values=[RecordedValue(date=dt.date(2026, m, 28), value=99 + m / 10) for m in range(1, 13)]),
        Measure(name="Cost", unit="GBP", cost=True, direction=MeasureDirection.LOWER_IS_BETTER,
                values=[RecordedValue(date=dt.date(2026, m, 28), value=1000.0) for m in range(1, 13)]),
        Measure(name="Not yet measured"),
    ]
    d.budgets = [Budget(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), amount=10000, unit="GBP")]
    return d


def test_html_pack_has_an_inline_chart_per_measure_and_stays_inert(tmp_path: Path) -> None:
    src = tmp_path / "payments.osom"
    save_document(document(), src)
    out = tmp_path / "pack.html"
    run = osom("pack", src, "-o", out)
    assert run.returncode == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    check_html_is_inert(html)
    charts = re.findall(r'<figure class="chart"><svg .*?</svg></figure>', html, re.S)
    assert len(charts) == 3  # two measures with values, and spend against budget
    assert "<use" not in html and "xlink" not in html
    # 12 x 1,000 spent of a 10,000 budget: over by 2,000, shown as such.
    assert re.search(r"10,000.00 GBP</td><td class=\"num\">12,000.00</td>\s*<td class=\"num bad\">-2,000.00", html)


def test_pdf_pack_draws_the_charts_as_vector(tmp_path: Path) -> None:
    src = tmp_path / "payments.osom"
    save_document(document(), src)
    out = tmp_path / "pack.pdf"
    run = osom("pack", src, "-o", out)
    assert run.returncode == 0, run.stderr
    assert "qt.svg" not in run.stderr
    text = subprocess.run(["pdftotext", "-layout", out, "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    # The cover's contents name the section with its page; the charts are on that page alone.
    listed = re.search(r"Measures over time\s+page (\d+)", pages[0])
    chart_pages = [p for p in pages[1:] if "Measures over time" in p]
    assert listed and len(chart_pages) == 1 and pages.index(chart_pages[0]) + 1 == int(listed.group(1))
    # Vector: the chart page holds no image at all (pdfimages lists each one).
    n = pages.index(chart_pages[0]) + 1
    images = subprocess.run(["pdfimages", "-f", str(n), "-l", str(n), "-list", out], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert images == []
    errors = subprocess.run(["pdftoppm", "-r", "20", "-f", str(n), "-l", str(n), "-png", out, str(tmp_path / "pg")],
                            capture_output=True, text=True)
    assert errors.returncode == 0 and not errors.stderr, errors.stderr


def _ink(svg: str) -> int:
    """Dark pixels of ``svg`` drawn by Qt's SVG renderer (which follows <use> itself)."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from osom_desktop.export.image import ensure_qt_app

    ensure_qt_app()
    image = QImage(806, 331, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    p = QPainter(image)
    QSvgRenderer(QByteArray(svg.encode())).render(p, QRectF(0, 0, 806, 331))
    p.end()
    return sum(1 for y in range(0, 331) for x in range(0, 806) if image.pixelColor(x, y).lightness() < 100)


def test_inlined_chart_draws_every_glyph_and_marker_as_matplotlib_did() -> None:
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from osom_desktop.fitness.charts import Series, measure_figure, svg_text

    fig = measure_figure(Series.of(document().contract.measures[0]))
    raw = io.StringIO()
    FigureCanvasSVG(fig).print_svg(raw)
    inline = svg_text(fig)
    assert "<use" in raw.getvalue() and "<use" not in inline
    a, b = _ink(raw.getvalue()), _ink(inline)
    assert a > 2000 and abs(a - b) <= a * 0.02, (a, b)
