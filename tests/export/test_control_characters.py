"""Issue 11: one control character pasted from Word (a vertical tab) in a name or a
note made the HTML pack fail with "internal error: ParseError" and the executive's
network pack fail for the whole folder. Every export now carries such text, shown
as the person meant it (a line break) or as a visible escape, never crashing.

Checked as readers meet the files: the real ``osom`` in its own process, the HTML
through an HTML parser (and its inline SVG through an XML parser), the PDF through
pdftotext, the SVG through an XML parser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osom_desktop.export.output import check_pdf, check_png
from osom_desktop.model.service import ServiceDocument
from osom_desktop.storage import save_document
from tests.export.real_files import CONTROL, osom, save_control_document

# Nothing a document may carry: C0 but tab/LF/CR, DEL, C1, surrogates, U+FFFE/U+FFFF.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.closed_html = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.closed_html |= tag == "html"


def check_page(html: str) -> str:
    """Parses as HTML, ends properly, carries no control character; every inline SVG
    is well-formed XML. Returns the page's text."""
    assert not UNSAFE.search(html)
    page = _Page()
    page.feed(html)
    page.close()
    assert page.closed_html
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)
    return "".join(page.text)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of services, one of them full of control characters."""
    folder = tmp_path_factory.mktemp("estate")
    save_control_document(folder / "notify.osom")
    plain = ServiceDocument()
    plain.service.name = "Payments"
    save_document(plain, folder / "payments.osom")
    return folder


def test_html_pack_parses_and_shows_the_text(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    run = osom("pack", folder / "notify.osom", "-o", out)
    assert run.returncode == 0, run.stderr
    text = check_page(out.read_text(encoding="utf-8"))
    # Word's line break became a line break; ESC and BEL are shown, not dropped silently.
    assert "Kettle A" in text and "B\\x00C\\x1b[2JD\\x07E" in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_pdf_pack_opens_and_shows_the_text(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    run = osom("pack", folder / "notify.osom", "-o", out)
    assert run.returncode == 0, run.stderr
    check_pdf(out.read_bytes())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True).stdout
    cover = text.split("\f")[0]
    # Shown on the cover as escapes, where they used to vanish without a trace ...
    assert "Notify A" in cover and "B\\x00C\\x1b[2JD\\x07E" in cover
    assert "\x1b" not in text and "\x07" not in text
    # ... and the bidi override no longer turns the header line backwards.
    assert "governance pack" in cover and "kcap ecnanrevog" not in text
    # The page header is one line, whatever line breaks the name holds.
    assert cover.splitlines()[0].startswith("Notify A B\\x00C") and "governance pack" in cover.splitlines()[0]


def test_svg_and_png_exports(folder: Path, tmp_path: Path) -> None:
    svg, png = tmp_path / "map.svg", tmp_path / "map.png"
    assert osom("export", folder / "notify.osom", "-f", "svg", "-o", svg).returncode == 0
    assert osom("export", folder / "notify.osom", "-f", "png", "-o", png).returncode == 0
    root = ET.parse(svg).getroot()  # parses as XML: the SVG did not
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Kettle" in text and "\\x1b" in text
    check_png(png.read_bytes())


def test_json_and_owm_keep_the_text_as_it_is(folder: Path, tmp_path: Path) -> None:
    """Data formats carry the text exactly (JSON escapes it): a round trip loses nothing."""
    import json

    out = tmp_path / "doc.json"
    assert osom("export", folder / "notify.osom", "-f", "json", "-o", out).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["service"]["name"] == f"Notify {CONTROL}"


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_network_pack_of_a_folder_with_one_such_file_succeeds(folder: Path, tmp_path: Path, form: str) -> None:
    out = tmp_path / f"network.{form}"
    run = osom("network", folder, "-f", form, "-o", out)
    assert run.returncode == 0, run.stderr
    assert "2 services" in run.stderr
    if form == "html":
        text = check_page(out.read_text(encoding="utf-8"))
        assert "Payments" in text and "Notify A" in text
    else:
        from osom_desktop.export.executive_pack import check_weasy_pdf  # WeasyPrint writes an xref stream

        check_weasy_pdf(out.read_bytes())


def test_an_unpaired_surrogate_in_an_unsaved_document_still_exports(tmp_path: Path) -> None:
    """Storage refuses to save one, but an unsaved document in the app may hold one
    (pasted text): its pack and images are still made, the character shown escaped."""
    from osom_desktop.export.image import render_png, render_svg
    from osom_desktop.export.pack import build_pack
    from osom_desktop.export.pack_html import write_pack_html
    from osom_desktop.export.pack_pdf import write_pack_pdf
    from osom_desktop.model import Component

    doc = ServiceDocument()
    doc.service.name = "Tea"
    doc.map.components.append(Component(id="c1", name="Kettle \udc00", visibility=0.5, evolution=0.5))
    pack = build_pack(doc, source_path=None)
    text = check_page(write_pack_html(pack, tmp_path / "p.html").read_text(encoding="utf-8"))
    assert "Kettle \\udc00" in text
    check_pdf(write_pack_pdf(pack, tmp_path / "p.pdf").read_bytes())
    ET.parse(render_svg(doc.map, tmp_path / "m.svg"))
    check_png(render_png(doc.map, tmp_path / "m.png").read_bytes())
