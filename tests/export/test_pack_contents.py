"""The single-service pack PDF as its reader turns its pages (a tester's report): a new,
near-empty service got 7 pages, most half empty, and the contents did not say where
the sections are. Now an empty section is one line under its heading on the page of
the section before it, and each contents entry gives the page its heading is on:
checked with pdftotext page by page, on PDFs made by the real ``osom pack``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.wardley import Component
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")

ENTRY = re.compile(r"^(?P<title>\S.*?)(?:\s+\(\d+\))?\s+page (?P<page>\d+)$")


def pack_of(doc: ServiceDocument, folder: Path) -> Path:
    """``osom pack`` on the saved service, as the tester ran it."""
    path = folder / "service.osom"
    save_document(doc, path)
    out = folder / "service.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "pack", str(path), "-o", str(out)],
                         capture_output=True, text=True, env=env, timeout=180)
    assert run.returncode == 0, run.stderr
    return out


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def page_lines(pdf: Path, n: int) -> list[str]:
    """Page ``n``'s lines, each with its spaces collapsed, the running header and footer left out."""
    text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return [line for line in lines if not re.search(r"page \d+ of \d+$", line)]


def contents(pdf: Path) -> list[tuple[str, int]]:
    """The cover's contents: (section, page)."""
    lines = page_lines(pdf, 1)
    start = lines.index("In this pack") + 1
    found = []
    for line in lines[start:]:
        m = ENTRY.match(line)
        if m:
            found.append((m.group("title"), int(m.group("page"))))
    return found


def check_contents(pdf: Path) -> list[tuple[str, int]]:
    """Every entry's page holds its heading, as a line of its own, and no earlier page
    after the cover does (it is where the section starts)."""
    entries = contents(pdf)
    pages = page_count(pdf)
    assert entries, "the cover lists no sections with pages"
    for title, page in entries:
        assert 1 < page <= pages, (title, page)
        here = page_lines(pdf, page)
        assert any(line == title or line.startswith(f"{title}:") for line in here), (
            f"contents: {title!r} on page {page}; that page reads {here[:12]}")
        for before in range(2, page):
            assert title not in page_lines(pdf, before), f"{title!r} is on page {before}, the contents say {page}"
    assert [p for _, p in entries] == sorted(p for _, p in entries)
    return entries


def new_service() -> ServiceDocument:
    doc = ServiceDocument()
    doc.service.name = "Parking permits"
    return doc


def test_an_empty_service_has_a_short_pack_and_true_contents(tmp_path: Path) -> None:
    pdf = pack_of(new_service(), tmp_path)
    entries = check_contents(pdf)
    assert page_count(pdf) <= 3, f"{page_count(pdf)} pages for a service with nothing recorded"
    titles = [t for t, _ in entries]
    assert titles[0] == "The Wardley map" and "Changes to the map since the last assessment" in titles
    # The empty map is a line, not a landscape page of its own.
    assert "The map has no components yet." in page_lines(pdf, dict(entries)["The Wardley map"])


def test_a_near_empty_service_with_a_map(tmp_path: Path) -> None:
    doc = new_service()
    doc.map.components += [Component(id="a", name="Permit", visibility=0.3, evolution=0.6),
                           Component(id="b", name="Resident", visibility=0.9, evolution=0.8)]
    doc.contract.purpose = "Residents apply for a parking permit online."
    pdf = pack_of(doc, tmp_path)
    entries = dict(check_contents(pdf))
    assert entries["The Wardley map"] == 2  # the landscape page after the cover
    assert page_count(pdf) <= 4, f"{page_count(pdf)} pages for a service with two components"


def test_the_sample_service_contents_match_its_pages(tmp_path: Path) -> None:
    pdf = pack_of(sample_document(), tmp_path)
    entries = check_contents(pdf)
    titles = [t for t, _ in entries]
    for wanted in ("The Wardley map", "The service contract", "Dependencies", "Rejected guidance", "Findings",
                   "Assessments", "Assessment report", "Correction of Error documents",
                   "Changes to the map since the last assessment"):
        assert wanted in titles, titles


def test_sections_running_over_several_pages(tmp_path: Path) -> None:
    """Many rejected decisions and user needs: sections span pages and later headings
    move, and the contents follow them."""
    import datetime as dt

    from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem

    doc = sample_document()
    doc.contract.user_needs += [f"As a caller I need answer number {i} within a working day" for i in range(40)]
    doc.decisions += [
        GuidanceDecision(guidance=GuidanceItem(id=f"G-{i:03}", title=f"Published guidance {i}", text="Use it. " * 30),
                         status=DecisionStatus.REJECTED, reason="It does not fit. " * 10, decided_by="Amara Okafor",
                         decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i in range(14)
    ]
    pdf = pack_of(doc, tmp_path)
    entries = dict(check_contents(pdf))
    assert entries["Findings"] - entries["Rejected guidance"] >= 2, entries  # the decisions take pages
