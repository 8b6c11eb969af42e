"""A pack PDF never ends a page with a section heading whose text is on the next page
(seen in a real pack: "Changes to the map since the last assessment" alone at the foot
of page 7, its list on page 8)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from osom_desktop.export.image import ensure_qt_app
from osom_desktop.export.pack_pdf import _first_line_top, _text_document


def _heading_pages(doc) -> list[tuple[str, int, int]]:
    """(heading, its page, the page of the text after it) for every heading."""
    layout, page_h = doc.documentLayout(), doc.pageSize().height()
    found = []
    block = doc.begin()
    while block.isValid():
        after = block.next()
        if block.blockFormat().headingLevel() and after.isValid():
            found.append((block.text(), int(_first_line_top(layout, block) // page_h),
                          int(_first_line_top(layout, after) // page_h)))
        block = after
    return found


@pytest.mark.parametrize("paragraphs", range(40, 90))
def test_a_heading_starts_the_page_its_text_is_on(paragraphs: int, tmp_path: Path) -> None:
    ensure_qt_app()
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(tmp_path / "p.pdf"))
    writer.setResolution(300)
    html = "".join(f"<p>Line {i} of the contract section.</p>" for i in range(paragraphs))
    html += "<h2>Changes to the map since the last assessment</h2><p>Compared with the map at the assessment.</p>"
    html += "<h3>Removed</h3><ul><li>Audit log</li></ul>"
    doc = _text_document(html, writer, 2100, 3000)
    for heading, page, text_page in _heading_pages(doc):
        assert page == text_page, f"{heading!r} on page {page + 1}, its text on page {text_page + 1}"


def test_no_page_of_the_sample_pack_ends_with_a_heading(tmp_path: Path) -> None:
    """The whole pack as the executive reads it: each page's last line of body text
    (above the footer) is never a section heading."""
    from osom_desktop.export.pack import build_pack
    from osom_desktop.export.pack_pdf import write_pack_pdf
    from osom_desktop.samples import sample_document

    out = write_pack_pdf(build_pack(sample_document(), source_path=None), tmp_path / "pack.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    headings = {"Changes to the map since the last assessment", "Open actions", "Mandates", "Findings", "Assessments"}
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        body = [line.strip() for line in page.splitlines() if line.strip()][:-1]  # the footer goes
        assert body and body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"
