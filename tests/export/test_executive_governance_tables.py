"""The executive pack's governance tables (a row a service) are laid out with fixed
columns, cheaper than measuring every cell first, unless a name has a word too long for
its column: then the table is laid out automatically and the name still stays inside
its column, whole. Real .osom files; ``osom network`` as a subprocess; where the words
sit read back with ``pdftotext -bbox``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from osom_desktop.analysis.network import load_network
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from osom_desktop.model.service import LifecycleStage

LONG = "Customerrelationshipmanagementplatform"  # one word, wider than a quarter of the page


def _estate(folder: Path, names: list[str]) -> Path:
    from tests.analysis.services import document, saved

    for i, name in enumerate(names):
        saved(document(name, lifecycle=LifecycleStage.LIVE), folder, f"s{i}.osom")
    return folder


def test_short_names_get_fixed_columns_a_long_word_does_not(tmp_path: Path) -> None:
    short = _estate(tmp_path / "short", ["Payments", "Notify Citizens", "Postcode-Lookup-Service-For-Councils"])
    html = render_executive_html(executive_context(load_network(short), short))
    assert '<section class="governance-part fixed">' in html
    long = _estate(tmp_path / "long", ["Payments", LONG])
    html = render_executive_html(executive_context(load_network(long), long))
    assert '<section class="governance-part">' in html


def test_a_long_name_stays_inside_its_column_in_the_pdf(tmp_path: Path) -> None:
    folder = _estate(tmp_path / "estate", ["Payments", LONG])
    out = tmp_path / "pack.pdf"
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "network", str(folder), "--format", "pdf",
                          "-o", str(out)], capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    xhtml = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    page = next(p for p in ElementTree.fromstring(xhtml).iterfind(".//h:page", ns)
                if any(w.text == "mandates" for w in p.iterfind("h:word", ns)))
    words = list(page.iterfind("h:word", ns))
    open_heading = next(w for w in words if w.text == "Open")  # "Open actions", the second column
    name = next(w for w in words if w.text == LONG)  # whole: not split inside the word
    assert float(name.get("xMax", 0)) < float(open_heading.get("xMin", 0))
