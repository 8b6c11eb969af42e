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
    chart_pages = [p for p in pages if "Measures over time" in p]
    assert len(chart_pages) == 1
    # Vector: the chart page holds no image at all (pdfimages lists each one).
    n = pages.index(chart_pages[0]) + 1
    images = subprocess.run(["pdfimages", "-f", str(n), "-l", str(n), "-list", out], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert images == []
    errors = subprocess.run(["pdftoppm", "-r", "20", "-f", str(n), "-l", str(n), "-png", out, str(tmp_path / "pg")],
                            capture_output=True, text=True)
    assert errors.returncode == 0 and not errors.stderr, errors.stderr
