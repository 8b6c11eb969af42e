"""The executive PDF's running header and "page N of M" (export/executive_pack_pdf.py).

They are cut out of a sheet of one page per kind of page (upright, and the drawing's
wide page) instead of a document of one page per page of the pack; each page's stamp
must draw exactly what that document drew on it: the same text, font, size, colour
and place. Both are laid out by WeasyPrint with the pack's own stylesheet."""

from __future__ import annotations

import io

from osom_desktop.export.executive_pack import _css, _refuse_fetch
from osom_desktop.export.executive_pack_pdf import _sheet_stamps, lay_out, stamps, stamps_html

UPRIGHT, WIDE = (793.7, 1122.5), (1122.5, 793.7)
# Three pages of summary, the drawing, then enough pages for three-digit numbers.
SIZES = [UPRIGHT] * 3 + [WIDE] + [UPRIGHT] * 100


def _operators(content: bytes) -> list[bytes]:
    # The nesting of q/Q differs (the sheet's stamp closes what it opened), not what is drawn.
    return [line for line in content.split(b"\n") if line not in (b"q", b"Q", b"")]


def test_each_page_gets_the_stamp_a_page_of_its_own_would_have() -> None:
    from pypdf import PdfReader

    made = stamps("estate", SIZES, _css(), _refuse_fetch)
    sheet = PdfReader(io.BytesIO(made.pdf))
    assert len(sheet.pages) == 2  # not one page per page of the pack
    one_each = PdfReader(io.BytesIO(lay_out(stamps_html("estate", SIZES, _css()), _refuse_fetch).pdf))
    assert len(made.over) == len(one_each.pages) == len(SIZES)
    for n, ((k, content), page) in enumerate(zip(made.over, one_each.pages, strict=True)):
        assert content is not None
        assert [float(v) for v in sheet.pages[k].mediabox] == [float(v) for v in page.mediabox], n
        drawn = page.get_contents()
        assert drawn is not None
        assert _operators(content) == _operators(drawn.get_data()), n
        lines = content.split(b"\n")
        assert lines.count(b"q") == lines.count(b"Q")  # what the stamp opens, it closes


def test_a_sheet_it_cannot_cut_falls_back_to_a_page_each() -> None:
    one_each = lay_out(stamps_html("estate", SIZES[:5], _css()), _refuse_fetch).pdf
    assert _sheet_stamps(one_each, SIZES[:5]) is None
