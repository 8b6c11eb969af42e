"""The executive pack's PDF laid out a part at a time, so memory does not grow with the folder.

WeasyPrint keeps every laid-out page of a document until it writes it: 200 services
held ~420 MB, 800 would hold well over a gigabyte. Here the pack is laid out in parts
-- the services ``CHUNK`` at a time, the governance summary, the network drawing and
the summary -- each written to PDF bytes and dropped before the next, and the parts
are joined with pypdf. What a single document did by itself is done across the parts:

* links: WeasyPrint reports every link's rectangle and target and every anchor's
  position; the joined PDF gets one link annotation per link, to the anchor's page
  and place, whichever part it is in (a part's own annotations are not kept);
* bookmarks: collected per page with their level, nested across parts as WeasyPrint
  nests them;
* the contents page's numbers: the summary is laid out once the services' page count
  is known (here, while the workers lay out the rest); three placeholder pages at its
  end stand where the drawing (a part of its own), "Services" and "Governance" begin
  (the last counts the services' pages in one step), so ``target-counter`` gives their
  real numbers; the placeholders are then dropped;
* "page N of M" and the running header: the parts are laid out without them, then a
  sheet of one page per kind of page (upright, wide) holding the header and every
  number is laid out, each page's stamp is cut out of it and drawn over the pack's
  page as a form XObject (the fonts stay embedded). A document of M pages, one stamp
  each, cost ~1 s at 200 services, on the serial tail; it is still the fallback.

Nothing is fetched (the same URL fetcher that refuses everything), and the joined
file is checked complete before it is written (``check_weasy_pdf``).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

# Services laid out together: memory is one chunk's pages (~1.3 MB a service) plus a
# fixed part; smaller chunks pay WeasyPrint's per-document cost more often and each
# ends on a page of its own (a part begins a page).
CHUNK = 40
PX = 0.75  # CSS pixel -> PDF point
# Parts laid out at once, each in a process of its own (WeasyPrint holds the GIL): the
# services' pages are most of the time. At most this many, and never more than the cores.
MAX_WORKERS = 4

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class Part:
    """One laid-out part, written, with what joining needs (page sizes in CSS px)."""

    pdf: bytes
    sizes: list[tuple[float, float]]
    links: list[list[tuple[str, tuple[float, float, float, float]]]]  # per page: (anchor, rect)
    anchors: list[dict[str, tuple[float, ...]]]  # per page: anchor -> (x, y, ...)
    bookmarks: list[list[tuple[int, str, tuple[float, float]]]]  # per page: (level, label, (x, y))
    keep: int = 0  # pages kept (placeholders at the end dropped)


@dataclass(slots=True)
class _Joined:
    parts: list[Part] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(p.keep for p in self.parts)


_DRAWING = re.compile(r'<svg[^>]*class="network-drawing"[^>]*viewBox="([-\d. ]+)"')
_BOX_LINK = re.compile(r'<a href="#([^"]+)"><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"')


def _drawing_links(html: str, pages: list[Any]) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    """Page -> (anchor, rectangle) of each box of the network drawing that links to a section.

    WeasyPrint draws an SVG's ``<a>`` as plain shapes, without links; the boxes are where
    the SVG's viewBox, scaled to fit its box on the page and centred (SVG's default
    ``xMidYMid meet``), puts them.
    """
    m = _DRAWING.search(html)
    if m is None:
        return {}
    vx, vy, vw, vh = (float(v) for v in m.group(1).split())
    boxes = _BOX_LINK.findall(html[m.start():html.find("</svg>", m.start())])
    for i, page in enumerate(pages):
        for box in page._page_box.descendants():
            if str(getattr(box, "element_tag", "")).endswith("svg") and getattr(box, "replacement", None) is not None:
                x, y, w, h = box.content_box_x(), box.content_box_y(), box.width, box.height
                scale = min(w / vw, h / vh) if vw and vh else 0
                ox, oy = x + (w - vw * scale) / 2, y + (h - vh * scale) / 2
                return {i: [(a, (ox + (float(bx) - vx) * scale, oy + (float(by) - vy) * scale,
                                 float(bw) * scale, float(bh) * scale)) for a, bx, by, bw, bh in boxes]}
    return {}


def lay_out(html: str, fetcher: Callable[..., Any], drop_last: int = 0) -> Part:
    """Lay out one part's HTML, note its links, anchors and bookmarks, write it, let it go."""
    from weasyprint import HTML

    doc = HTML(string=html, url_fetcher=fetcher).render()
    part = Part(b"", [(p.width, p.height) for p in doc.pages], _internal_links(doc.pages),
                [dict(p.anchors) for p in doc.pages],
                [[(level, label, tuple(target)) for level, label, target, _state in p.bookmarks] for p in doc.pages])
    for i, links in _drawing_links(html, doc.pages).items():
        part.links[i] += links
    part.keep = len(doc.pages) - drop_last
    for p in doc.pages:  # written by the join, across parts
        p.links, p.anchors, p.bookmarks = [], {}, []
    part.pdf = doc.write_pdf()
    return part


def _internal_links(pages: list[Any]) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page: (anchor, (x, y, width, height)) of each link within the document ("#" dropped).

    WeasyPrint gives a link's rectangle by its corners, (x1, y1, x2, y2): read as a width
    and height, each link reached from its top-left corner to twice as far, overlapping
    the links below and beside it, so a click could follow the wrong one.
    """
    return [[(t[1:] if t.startswith("#") else t, (x1, y1, x2 - x1, y2 - y1))
             for kind, t, (x1, y1, x2, y2), _box in p.links if kind == "internal"]
            for p in pages]


def join(parts: list[Part], stamps: Stamps) -> bytes:
    """The parts' kept pages in order, with every link and bookmark, and ``stamps``'
    pages (header and page number) drawn over them."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    sizes, anchors, links, marks = _add_pages(writer, parts)
    _stamp(writer, stamps)
    _add_links(writer, links, anchors, sizes)
    _add_bookmarks(writer, marks, sizes)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_Pages = tuple[
    list[tuple[float, float]],  # each page's size
    dict[str, tuple[int, float, float]],  # anchor -> (page, x, y)
    list[tuple[int, str, tuple[float, float, float, float]]],  # (page, anchor, rect) of each link
    list[tuple[int, int, str, float, float]],  # (page, level, label, x, y) of each bookmark
]


def _add_pages(writer: Any, parts: list[Part]) -> _Pages:
    """Each part's kept pages into ``writer`` (their own annotations dropped), with what
    they hold, numbered as pages of the whole."""
    from pypdf import PdfReader

    sizes: list[tuple[float, float]] = []
    anchors: dict[str, tuple[int, float, float]] = {}
    links: list[tuple[int, str, tuple[float, float, float, float]]] = []
    marks: list[tuple[int, int, str, float, float]] = []
    for part in parts:
        reader = PdfReader(io.BytesIO(part.pdf))
        for i in range(part.keep):
            page = reader.pages[i]
            if "/Annots" in page:
                del page["/Annots"]
            writer.add_page(page)
            n = len(sizes)
            sizes.append(part.sizes[i])
            for name, at in part.anchors[i].items():  # (x, y, and in WeasyPrint 70 the box's size)
                anchors.setdefault(name, (n, at[0], at[1]))
            links += [(n, name, rect) for name, rect in part.links[i]]
            marks += [(n, level, label, x, y) for level, label, (x, y) in part.bookmarks[i]]
    return sizes, anchors, links, marks


def _add_links(writer: Any, links: list[tuple[int, str, tuple[float, float, float, float]]],
               anchors: dict[str, tuple[int, float, float]], sizes: list[tuple[float, float]]) -> None:
    """One link annotation per link whose anchor is in the pack, to the anchor's page and place.

    Written as the dictionaries ``writer.add_annotation(n, Link(...))`` makes, without
    it: that looks each page up by number (counting the pages) for every link, 0.3 s
    for the 4,300 links of 200 services.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject

    pages = list(writer.pages)
    refs = [page.indirect_reference for page in pages]
    zero = NumberObject(0)
    by_page: dict[int, list[Any]] = {}
    for n, name, (x, y, w, h) in links:
        if name not in anchors:
            continue
        to, ax, ay = anchors[name]
        height = sizes[n][1]
        rect = ((x * PX, (height - y - h) * PX, (x + w) * PX, (height - y) * PX))
        by_page.setdefault(n, []).append(writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/Border"): ArrayObject([zero, zero, zero]),
            NameObject("/Dest"): ArrayObject([refs[to], NameObject("/XYZ"), FloatObject(ax * PX),
                                              FloatObject((sizes[to][1] - ay) * PX), FloatObject(0)]),
            NameObject("/P"): refs[n],
        })))
    for n, annots in by_page.items():
        pages[n][NameObject("/Annots")] = ArrayObject(annots)


def _add_bookmarks(writer: Any, marks: list[tuple[int, int, str, float, float]],
                   sizes: list[tuple[float, float]]) -> None:
    """Bookmarks nested by level, as WeasyPrint nests them within one document."""
    from pypdf.generic import Fit

    stack: list[tuple[int, Any]] = []
    for n, level, label, x, y in marks:
        while stack and stack[-1][0] >= level:
            stack.pop()
        item = writer.add_outline_item(title=label, page_number=n, parent=stack[-1][1] if stack else None,
                                       fit=Fit.xyz(x * PX, (sizes[n][1] - y) * PX, 0), is_open=False)
        stack.append((level, item))


@dataclass(slots=True)
class Stamps:
    """What is drawn over the pack's pages: over page i, the content ``over[i][1]`` with
    the resources (fonts) of page ``over[i][0]`` of ``pdf`` (None: that page's own content)."""

    pdf: bytes
    over: list[tuple[int, bytes | None]]


def _stamp(writer: Any, stamps: Stamps) -> None:
    """Draw each page's stamp over the writer's page of the same number, as a form XObject.

    The page's own content is wrapped in q/Q first so its graphics state cannot leak
    into the stamp; the stamp keeps its own resources (fonts), so no name can clash.
    """
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(stamps.pdf))
    shared: dict[int, Any] = {}  # stamp page -> its resources, copied into the pack once
    for page, (k, content) in zip(writer.pages, stamps.over, strict=True):
        over = reader.pages[k]
        if k not in shared:
            shared[k] = writer._add_object(over["/Resources"].clone(writer)) if "/Resources" in over \
                else DictionaryObject()
        form = DecodedStreamObject()
        if content is None:
            drawn = over.get_contents()
            content = drawn.get_data() if drawn is not None else b""
        form.set_data(content)
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): over.mediabox,
            NameObject("/Resources"): shared[k],
        })
        form_ref = writer._add_object(form)
        # A page's own copies: WeasyPrint's pages may share one resources dictionary.
        resources = DictionaryObject()
        if "/Resources" in page:
            resources.update(page["/Resources"].get_object())
        xobjects = DictionaryObject()
        if "/XObject" in resources:
            xobjects.update(resources["/XObject"].get_object())  # type: ignore[call-overload]
        xobjects[NameObject("/OsomStamp")] = form_ref
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(b"\nQ\nq /OsomStamp Do Q\n")
        contents = page.get("/Contents")
        own = list(contents.get_object()) if contents is not None and isinstance(contents.get_object(), ArrayObject) \
            else ([contents] if contents is not None else [])
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *own, writer._add_object(after)])


def _css_string(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_head(folder: str, total: int, css: str) -> str:
    # The total as a number, not counter(pages): that would lay every page out twice.
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>' + css
            + "@page { @top-left { content: " + _css_string(f"{folder} — executive pack") + " }"
            + f' @bottom-right {{ content: "page " counter(page) " of {total}" }} }}')


def stamps_html(folder: str, sizes: list[tuple[float, float]], css: str) -> str:
    """``len(sizes)`` empty pages holding only the running header and "page N of M"."""
    pages = "".join('<div class="wide"></div>' if w > h else "<div></div>" for w, h in sizes)
    return (_page_head(folder, len(sizes), css)
            + " div { break-after: page; height: 1px; } div:last-child { break-after: auto; }"
            + " .wide { page: drawing; }</style></head><body>" + pages + "</body></html>")


def _kinds(sizes: list[tuple[float, float]]) -> list[list[int]]:
    """The pages (from 0) of each kind of page the stamps' sheet has: upright, then wide."""
    upright = [i for i, (w, h) in enumerate(sizes) if w <= h]
    wide = [i for i, (w, h) in enumerate(sizes) if w > h]
    return [k for k in (upright, wide) if k]


def sheet_html(folder: str, sizes: list[tuple[float, float]], css: str) -> str:
    """One page per kind of page (upright, wide) instead of one per page of the pack.

    Each holds the running header and, in its bottom-right margin box, the number of the
    first page of its kind, as ``stamps_html`` would; and in its flow, every number of
    its kind, each right-aligned at the top of the page area (at the same right edge as
    the margin box), one over the other. ``_sheet_stamps`` cuts each page's stamp out of
    these. Laying out 104 pages for two short lines each cost ~1 s at 200 services
    (their margin boxes half of it); this is two pages.
    """
    total = len(sizes)
    kinds = _kinds(sizes)
    rules = [f'@page {"drawing" if sizes[k[0]][0] > sizes[k[0]][1] else ""} '
             f'{{ counter-reset: page {k[0] + 1} }}' for k in kinds]
    pages = "".join(f'<div{" class=wide" if sizes[k[0]][0] > sizes[k[0]][1] else ""}>'
                    + "".join(f'<p class="n">page {i + 1} of {total}</p>' for i in k) + "</div>"
                    for k in kinds)
    return (_page_head(folder, total, css) + " " + " ".join(rules)
            + ' body > div { break-after: page; } body > div:last-child { break-after: auto; } .wide { page: drawing; }'
            + ' p.n { position: absolute; right: 0; top: 0; margin: 0; white-space: nowrap;'
            + ' font: 8pt "DejaVu Sans", sans-serif; color: #555; }'
            + "</style></head><body>" + pages + "</body></html>")


_TM = re.compile(rb"1 0 0 -1 (-?[\d.]+) (-?[\d.]+) Tm")


def _sheet_stamps(pdf: bytes, sizes: list[tuple[float, float]]) -> list[tuple[int, bytes | None]] | None:
    """Each page's stamp cut out of the sheet (``sheet_html``): the page's header and its
    own number, moved down to where the margin box puts the first number of its kind.
    None when the sheet is not as ``_cut`` expects it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    kinds = _kinds(sizes)
    if len(reader.pages) != len(kinds):
        return None
    over: list[tuple[int, bytes | None]] = [(0, None)] * len(sizes)
    for k, (pages, sheet) in enumerate(zip(kinds, reader.pages, strict=True)):
        drawn = sheet.get_contents()
        cut = _cut(drawn.get_data().split(b"\n") if drawn is not None else [], len(pages))
        if cut is None:
            return None
        for n, content in zip(pages, cut, strict=True):
            over[n] = (k, content)
    return over


def _cut(lines: list[bytes], numbers: int) -> list[bytes] | None:
    """The stamps of one page of the sheet (its content, one operator a line), or None.

    WeasyPrint 70 draws each text as ``q``, its state, ``BT`` .. ``ET``, ``Q``; the page's
    flow (here the ``numbers`` numbers) before its margin boxes (the header, then the
    reference number). Anything else (another version, another drawing order), or a
    reference the flow does not draw exactly as the margin box does: None, and the pack
    is stamped from one page per page.
    """
    texts: list[tuple[int, int]] = []  # each text's lines, q .. Q
    for i, line in enumerate(lines):
        if line == b"BT":
            q = i
            while q > 0 and lines[q] != b"q":
                q -= 1
            end = lines.index(b"ET", i) + 1 if b"ET" in lines[i:] else len(lines)
            if lines[q] != b"q" or end >= len(lines) or lines[end] != b"Q":
                return None
            texts.append((q, end + 1))
    inside = {i for a, b in texts for i in range(a, b)}
    if len(texts) != numbers + 2 or any(
            line and not (line in (b"q", b"Q") or (i < texts[0][0] and line.endswith(b" cm")))
            for i, line in enumerate(lines) if i not in inside):
        return None
    head = lines[:texts[0][0]]
    if b"Q" in head:
        return None

    def tm(text: tuple[int, int]) -> int | None:
        return next((i for i in range(*text) if _TM.fullmatch(lines[i])), None)

    header, ref, first = texts[-2], texts[-1], texts[0]
    at_ref, at_first = tm(ref), tm(first)
    if at_ref is None or at_first is None or lines[at_ref].split()[4] != lines[at_first].split()[4] \
            or [v for i, v in enumerate(lines[slice(*ref)], ref[0]) if i != at_ref] \
            != [v for i, v in enumerate(lines[slice(*first)], first[0]) if i != at_first]:
        return None
    y = lines[at_ref].split()[5]
    out = []
    for text in texts[:numbers]:
        at = tm(text)
        if at is None:
            return None
        number = [b"1 0 0 -1 " + lines[i].split()[4] + b" " + y + b" Tm" if i == at else lines[i] for i in range(*text)]
        out.append(b"\n".join([*head, *lines[slice(*header)], *number, *[b"Q"] * head.count(b"q")]))
    return out


def stamps(folder: str, sizes: list[tuple[float, float]], css: str, fetcher: Callable[..., Any]) -> Stamps:
    """The running header and "page N of M" of every page, cut out of a sheet of one page
    per kind of page, or (when it cannot be cut) laid out one page per page."""
    sheet = lay_out(sheet_html(folder, sizes, css), fetcher)
    over = _sheet_stamps(sheet.pdf, sizes)
    if over is not None:
        return Stamps(sheet.pdf, over)
    return Stamps(lay_out(stamps_html(folder, sizes, css), fetcher).pdf, [(i, None) for i in range(len(sizes))])


def _chunks(n: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(first, last) of the services' parts: those laid out first, CHUNK at a time, and
    those laid out last, the last CHUNK or fewer in two halves when there are several parts.

    Smaller parts at the end even out the workers: at 200 services in five parts of 40
    one worker waited 1.1 s for the other (the parts take ~2.5 s each).
    """
    bounds = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)] or [(0, 0)]
    if len(bounds) == 1:
        return bounds, []
    first, last = bounds.pop()
    if last - first <= CHUNK // 2:
        return bounds, [(first, last)]
    mid = (first + last) // 2
    return bounds, [(first, mid), (mid, last)]


def _workers(jobs: int) -> int:
    """Processes to lay out ``jobs`` parts: 1 (here) unless there are several chunks of
    services, fork is available (Linux) and there is more than one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs < 3 or sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(MAX_WORKERS, cores, jobs))


def _die_with_parent() -> None:
    """A worker ends when the process that started it ends (Cancel kills the export job)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not glibc: the worker ends at its next read of the queue
        pass


def _lay_out_all(htmls: list[str], fetcher: Callable[..., Any], said: Callable[[int], None], first: int,
                 then: Callable[[list[Part]], Part]) -> tuple[list[Part], Part]:
    """Every part of ``htmls``, in order, and ``then(the first parts)`` once the ``first``
    of them are laid out; several at once in worker processes when it pays, ``then``
    here while the workers lay out the rest."""
    workers = _workers(len(htmls))
    if workers == 1:
        out = []
        for i, html in enumerate(htmls):
            said(i)
            out.append(lay_out(html, fetcher))
        return out, then(out[:first])
    # fork: the workers start at once with everything imported (spawn re-imports WeasyPrint).
    # Frozen first, the parent's objects (the whole network and its answers) are never
    # walked by a worker's garbage collector, so their memory pages are never copied.
    import gc
    from concurrent.futures import ProcessPoolExecutor

    import weasyprint  # noqa: F401 - imported once here, not once in every worker

    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_die_with_parent) as pool:
            futures = [pool.submit(lay_out, html, fetcher) for html in htmls]
            out = []
            for i, f in enumerate(futures[:first]):
                said(i)
                out.append(f.result())
            extra = then(out[:first])
            for i, f in enumerate(futures[first:], first):
                said(i)
                out.append(f.result())
            return out, extra
    finally:
        gc.unfreeze()


def pack_pdf(render: Callable[..., str], context: dict[str, Any], page_css: str, fetcher: Callable[..., Any],
             progress: Progress | None = None) -> bytes:
    """The whole pack: ``render(part=..., sections=..., extra_css=...)`` gives each part's HTML."""
    sections = context["sections"]
    head, tail = _chunks(len(sections))
    steps = len(head) + len(tail) + 4
    # Laid out without the running header and page number: the stamps add them.
    bare = Markup("@page { @top-left { content: none } @bottom-right { content: none } }")
    htmls: list[str] = []
    labels: list[str] = []

    def services_part(first: int, last: int) -> None:
        htmls.append(render(part="services", sections=sections[first:last], first=first == 0, extra_css=bare))
        labels.append(f"Laying out services {first + 1}-{last} of {len(sections)}")

    # Each worker takes the next part when it is free: the services in parts of CHUNK,
    # the last CHUNK in halves so that both workers finish the services together, then
    # the governance summary and the drawing (a part of its own: 1.3 s of the summary's
    # 1.8 s at 200 services). The summary needs the services' page count, no more: it is
    # laid out here while the workers lay out those two, not after them.
    for first, last in head + tail:
        services_part(first, last)
    htmls += [render(part="governance", sections=[], first=False, extra_css=bare),
              render(part="drawing", sections=[], first=False, extra_css=bare)]
    labels += ["Laying out the governance summary", "Laying out the drawing"]
    n = len(head) + len(tail)

    def said(i: int) -> None:
        if progress is not None:
            progress(i + (i >= n), steps, labels[i])  # the summary is step n

    def summary(services: list[Part]) -> Part:
        if progress is not None:
            progress(n, steps, "Laying out the summary")
        appendix = sum(p.keep for p in services)
        # The third placeholder counts the services' pages at once: its number is where
        # the governance part will begin.
        jump = Markup(f"{bare} @page governance-starts {{ counter-increment: page {appendix} }}")
        return lay_out(render(part="front", sections=[], first=False, extra_css=jump), fetcher, drop_last=3)

    done, front = _lay_out_all(htmls, fetcher, said, n, summary)
    *services, governance, drawing = done
    parts = [front, drawing, *services, governance]
    if progress is not None:
        progress(steps - 1, steps, "Numbering the pages and joining the parts")
    sizes = [size for p in parts for size in p.sizes[:p.keep]]
    return join(parts, stamps(context["folder"], sizes, page_css, fetcher))
