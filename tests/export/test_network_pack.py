"""The executive pack of a folder, checked as its reader meets it: ``osom network``
as a subprocess with no display, the HTML parsed (every in-page link lands on an id),
pdfinfo/pdftotext and the PDF's outline (pypdf) on the PDF; at 40 and 200 services."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osom_desktop.analysis.network import answer, load_network
from osom_desktop.analysis.network_layout import network_layout
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from osom_desktop.export.executive_svg import network_svg
from osom_desktop.model.service import (
    DecisionStatus,
    Dependency,
    EvolutionStage,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    Service,
    ServiceDocument,
)
from osom_desktop.storage import save_document

HOSTILE = "<script>alert(1)</script>"
NAMES = ("Payments", HOSTILE, "Notify Citizens")
TODAY = dt.date(2026, 11, 25)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "estate"
    folder.mkdir()
    pay = ServiceDocument(service=Service(id="svc-pay", name="Payments", manager="Ada", lifecycle=LifecycleStage.LIVE))
    pay.contract.evolution_stage = EvolutionStage.PRODUCT
    pay.contract.dependencies.append(Dependency(service_name=HOSTILE, service_id="svc-hostile", description="sends letters"))
    pay.decisions.append(GuidanceDecision(
        guidance=GuidanceItem(id="G-7", title="Use the shared card gateway", text="All card payments go through it."),
        status=DecisionStatus.REJECTED, reason="Our contract runs to 2027", decided_by="Ada",
        decided_on=dt.date(2026, 1, 5), review_by=dt.date(2026, 6, 1),
    ))
    hostile = ServiceDocument(service=Service(id="svc-hostile", name=HOSTILE, lifecycle=LifecycleStage.ALPHA))
    hostile.contract.evolution_stage = EvolutionStage.CUSTOM
    notify = ServiceDocument(service=Service(id="svc-notify", name="Notify Citizens", lifecycle=LifecycleStage.BETA))
    notify.contract.dependencies.append(Dependency(service_name="Postcode Lookup"))
    for name, doc in (("payments", pay), ("hostile", hostile), ("notify", notify)):
        save_document(doc, folder / f"{name}.osom", summary="test")
    (folder / "broken.osom").write_bytes(b"not a service file at all")
    return folder


def _osom(*args: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def ids(self) -> set[str]:
        return {v for _, attrs in self.tags for k, v in attrs if k == "id" and v}

    def links(self) -> list[str]:
        return [v[1:] for t, attrs in self.tags for k, v in attrs if k == "href" and v and v.startswith("#")]

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def _check_inert(html: str) -> _Inert:
    p = _Inert()
    p.feed(html)
    p.close()
    for tag, attrs in p.tags:
        assert tag not in ("script", "iframe", "object", "embed", "base", "form"), tag
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
            if name in ("href", "src", "xlink:href") and tag != "use":
                assert (value or "").startswith("#"), (tag, name, value)  # nothing outside the page
    assert any(t == "meta" and ("http-equiv", "Content-Security-Policy") in a for t, a in p.tags)
    return p


def _words(text: str) -> str:
    return " ".join(text.split())



def _estate(folder: Path, n: int) -> Path:
    """``n`` services in a layered estate: each depends on two of the next layer, some alpha."""
    from tests.analysis.services import dependency, document, saved

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        deps = [dependency(f"Service {j:03d}") for j in (i * 2 + 1, i * 2 + 2) if j < n]
        life = LifecycleStage.ALPHA if i % 7 == 6 else LifecycleStage.LIVE
        saved(document(f"Service {i:03d}", lifecycle=life, deps=deps, manager=f"Lead {i % 9}"), folder)
    return folder


def _pdf_text(out: Path, *opts: str) -> str:
    return subprocess.run(["pdftotext", *opts, str(out), "-"], capture_output=True, text=True, check=True).stdout


def _pages(out: Path) -> int:
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_drawing_is_the_layout_escaped_and_linked(tmp_path: Path) -> None:
    net = load_network(_folder(tmp_path))
    layout = network_layout(net)
    anchors = {s: f"s{i}" for i, s in enumerate(net.services())}
    svg = str(network_svg(layout, {}, anchors))
    assert svg == str(network_svg(layout, {}, anchors))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)" in svg
    # Each edge drawn once, with its arrow head: the lines are subpaths of one path per
    # colour, the heads triangles of another (no SVG markers: WeasyPrint draws them slowly).
    lines = "".join(re.findall(r'<path d="([^"]*)" fill="none"', svg))
    assert lines.count("M") == net.graph.number_of_edges()
    assert len(re.findall(r"M[-\d.]+,[-\d.]+ L[-\d.]+,[-\d.]+ L[-\d.]+,[-\d.]+ z", svg)) == net.graph.number_of_edges()
    assert all(f'href="#{a}"' in svg for a in anchors.values())


def test_osom_network_html(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "pack.html"
    run = _osom("network", folder, "--format", "html", "-o", out)
    assert run.returncode == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    p = _check_inert(html)
    assert p.links() and set(p.links()) <= p.ids()  # every in-page link lands somewhere
    text = _words("".join(p.data))
    for name in NAMES:
        assert name in text, name
    assert HOSTILE in "".join(p.data)  # shown as text, never as a tag
    assert "broken.osom" in text
    assert "Our contract runs to 2027" in text  # the rejection, in its service's section
    assert "1 past their review-by date" in text
    a = answer(load_network(folder), TODAY)
    for row in a.rows:  # the same count in the table and in the service's own section
        assert f"{row['findings']} network findings" in text


def test_osom_network_pdf(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "pack.pdf"
    run = _osom("network", folder, "--format", "pdf", "-o", out)
    assert run.returncode == 0, run.stderr
    text = _words(_pdf_text(out))
    for name in NAMES:
        assert name in text, name
    pages = [pg for pg in _pdf_text(out, "-layout").split("\f") if pg.strip()]
    for i, page in enumerate(pages, 1):
        assert f"page {i} of {len(pages)}" in page
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


@pytest.mark.parametrize("n", [40, 200])
def test_pack_at_scale_has_bookmarks_linked_contents_and_stays_compact(tmp_path: Path, n: int) -> None:
    from pypdf import PdfReader

    folder = _estate(tmp_path / "estate", n)
    html_out, pdf_out = tmp_path / "pack.html", tmp_path / "pack.pdf"
    for out, fmt in ((html_out, "html"), (pdf_out, "pdf")):
        run = _osom("network", folder, "--format", fmt, "-o", out)
        assert run.returncode == 0, run.stderr
    p = _check_inert(html_out.read_text(encoding="utf-8"))
    assert set(p.links()) <= p.ids() and len(set(p.links())) >= n  # each service reachable by a link
    pages = _pages(pdf_out)
    assert pages <= 4 + n  # summary <= 3, drawing 1, then compact sections (not 6 pages a service)
    reader = PdfReader(str(pdf_out))

    def titles(items: list) -> list[str]:
        out: list[str] = []
        for it in items:
            out += titles(it) if isinstance(it, list) else [it.title]
        return out

    marks = titles(reader.outline)
    assert "The network drawing" in marks and "Services" in marks
    assert {f"Service {i:03d}" for i in range(n)} <= set(marks)
    # The summary ends within three pages; the drawing is alone on the next page.
    drawing_page = reader.get_destination_page_number(next(
        o for o in reader.outline if not isinstance(o, list) and o.title == "The network drawing"))
    assert drawing_page <= 3
    texts = _pdf_text(pdf_out, "-layout").split("\f")
    assert "Services" in texts[drawing_page + 1] and "Service 000" in texts[drawing_page + 1]
    assert "The network drawing" in texts[drawing_page] and "Depends on:" not in texts[drawing_page]
    # The contents page gives page numbers (WeasyPrint's target-counter), and links.
    assert any(getattr(a, "get", None) for a in reader.pages[0].get("/Annots", []) or [])
    assert "What breaks if a service fails" in texts[0]
    assert not any("- >" in t or "-\n>" in t for t in texts)  # no arrow split at a line end

    # The PDF is laid out in parts and joined: links still land on the right page, whatever
    # part holds it. Service i depends on 2i+1 and 2i+2: the section of the last service's
    # dependent links to the last service's section (in another part at 200 services).
    def targets(page: int) -> set[int]:
        out = set()
        for a in reader.pages[page].get("/Annots", []) or []:
            dest = a.get_object().get("/Dest")
            if dest is not None:
                out.add(reader.get_page_number(dest[0].get_object()))
        return out

    def section_page(i: int) -> int:
        return next(p for p in range(drawing_page + 1, len(texts)) if f"\n Service {i:03d}\n" in "\n" + texts[p] + "\n"
                    or any(line.strip() == f"Service {i:03d}" for line in texts[p].splitlines()))

    last, parent = n - 1, (n - 2) // 2
    assert section_page(last) in targets(section_page(parent)) | targets(section_page(parent) + 1)
    # Each box of the drawing leads to its service's section (WeasyPrint leaves SVG links out).
    assert {section_page(i) for i in (0, n // 2, last)} <= targets(drawing_page)
    # ... and the contents' numbers and links agree with where each part begins.
    governance = next(p for p in range(len(reader.pages)) if "Governance across the network" in texts[p] and p > 2)
    assert governance in targets(0) and drawing_page in targets(0) and drawing_page + 1 in targets(0)
    contents = " ".join(texts[0].split())
    assert "The network drawing . " in contents
    assert contents.split("Governance across the network")[1].lstrip(" .").startswith(str(governance + 1))
    assert f"page {pages} of {pages}" in texts[pages - 1]


def test_empty_folder_still_makes_a_pack(tmp_path: Path) -> None:
    net = load_network(tmp_path)
    html = render_executive_html(executive_context(net, tmp_path, TODAY))
    _check_inert(html)
    assert "No service depends on another." in html
