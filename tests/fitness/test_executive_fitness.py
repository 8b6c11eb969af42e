"""The executive pack's summary shows the network's roll-ups (issue 17, item 4): written by
``osom network`` as a real process, read back as its reader meets it (HTML parsed, PDF by
pdftotext), still inert, and the summary still within its three pages."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.model.service import Measure
from tests.export.test_network_pack import _check_inert, _osom, _pdf_text, _words
from tests.fitness.services import monthly, service_file

ROLLUPS = """
[[rollup]]
measure = "Transactions"
unit = "count"

[[rollup]]
name = "Spend <b>all</b>"
measure = "Cost"
unit = "GBP"

[[ratio]]
name = "Cost per transaction"
numerator = "Spend <b>all</b>"
denominator = "Transactions"

[capital_flow]
cost = "Spend <b>all</b>"
share = "equal"
"""


def _folder(tmp_path: Path) -> Path:
    """Web consumes Hosting; three months of cost and transactions; Legacy costs in EUR."""
    f = tmp_path / "council"
    f.mkdir()
    service_file(f, "Web", [Measure(name="Cost", unit="GBP", cost=True, values=monthly([100.0, 120.0, 90.0])),
                            Measure(name="Transactions", unit="count", values=monthly([1000.0, 1500.0, 2500.0]))],
                 ["Hosting"])
    service_file(f, "Hosting", [Measure(name="Cost", unit="GBP", cost=True, values=monthly([600.0, 600.0, 700.0]))])
    service_file(f, "Legacy", [Measure(name="cost", unit="EUR", values=monthly([5000.0]))])
    (f / "rollups.toml").write_text(ROLLUPS, encoding="utf-8")
    return f


# March: transactions 2,500 (February 1,500, up); spend 790 (February 720, up); 2,210 over
# the period; cost per transaction 0.316 (790 / 2,500). Web keeps all 2,210 (Hosting's passed on).
EXPECTED = ["Fitness across the network", "Transactions", "2,500", "2026-03", "1,500", "5,000",
            "Spend <b>all</b>", "790", "720", "2,210", "Cost per transaction", "0.316",
            "Capital flow", "Legacy", "EUR"]


def test_summary_shows_the_rollups_in_html_and_pdf(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    html_out, pdf_out = tmp_path / "pack.html", tmp_path / "pack.pdf"
    for fmt, out in (("html", html_out), ("pdf", pdf_out)):
        run = _osom("network", folder, "--format", fmt, "-o", out)
        assert run.returncode == 0, run.stderr
    html = html_out.read_text(encoding="utf-8")
    p = _check_inert(html)
    assert "Spend &lt;b&gt;all&lt;/b&gt;" in html and "Spend <b>all</b>" not in html
    assert "fitness" in p.ids() and "fitness" in p.links()
    text = _words("".join(p.data))
    heading = text.index("Fitness across the network", text.index("Fitness across the network") + 1)  # past the contents
    summary = text[heading:text.index("The network drawing", heading)]
    for word in EXPECTED:
        assert word in summary, word
    assert "↑" in summary and "Web 2,210" in summary

    pdf = _words(_pdf_text(pdf_out, "-f", "1", "-l", "3"))  # the summary's three pages
    assert "Red arrows: a cycle" in _words(_pdf_text(pdf_out, "-f", "2", "-l", "4"))  # the drawing follows within budget
    for word in EXPECTED:
        assert word in pdf, word


def test_no_block_without_rollups_or_measures(tmp_path: Path) -> None:
    f = tmp_path / "plain"
    f.mkdir()
    service_file(f, "Web", [])
    out = tmp_path / "pack.html"
    assert _osom("network", f, "--format", "html", "-o", out).returncode == 0
    assert "Fitness across the network" not in out.read_text(encoding="utf-8")
