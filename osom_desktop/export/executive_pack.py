"""The executive pack of a folder: a summary a board reads, the network on one page,
then a compact section per service. One template (``executive.html.j2``) for both
formats: the HTML is written as it is, the PDF is the same HTML laid out by WeasyPrint
(bookmarks from the headings, a contents page with page numbers, every link live).

::

    net = load_network("services/")
    write_executive(net, "services/", "pack.pdf")      # or "pack.html"

Safety as the service pack: no scripts, nothing fetched (WeasyPrint is given a URL
fetcher that refuses everything), a Content-Security-Policy in the page, and every
text from the files made safe for documents (``text_safety.for_document``) before it
reaches the page. Memory does not grow with the services' maps: no map images, only
the numbers and names a board needs (the full governance pack of one service stays
its own export).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from osom_desktop.analysis.assessment_dates import last_assessment
from osom_desktop.analysis.directory import natural_key
from osom_desktop.analysis.governance import network_governance
from osom_desktop.analysis.map_diff import map_changes
from osom_desktop.analysis.network import Network, NetworkAnswers, answer, cycle_groups
from osom_desktop.analysis.network_layout import (
    PACK_DOT_TIMEOUT_S,
    PALETTE,
    VOCABULARY,
    NetworkLayout,
    network_layout,
    node_colour_key,
)
from osom_desktop.export.executive_svg import network_svg
from osom_desktop.fitness.rollups import folder_fitness
from osom_desktop.model.service import DecisionStatus
from osom_desktop.model.text_safety import for_document
from osom_desktop.storage.atomic import atomic_write_bytes

Progress = Callable[[int, int, str], None]

# Caps that keep the summary within three pages and each service within two; the
# rest is counted ("and 12 more") and is in the JSON report.
TOP = 8
SECTION_LIST_CAP = 12


def _anchor(i: int) -> str:
    return f"s{i}"


def _one(text: Any) -> str:
    return " ".join(str(text).split())


def _changes(doc: Any, today: dt.date) -> tuple[str, int]:
    last = last_assessment(doc.assessments, today)
    if last is None:
        return "never assessed", 0
    if last.map_snapshot is None:
        return f"assessed {last.date.isoformat()}; map at that time not kept", 0
    ch = map_changes(last.map_snapshot, doc.map)
    n = len(ch.added) + len(ch.removed) + len(ch.moved)
    if n == 0:
        return f"no map changes since {last.date.isoformat()}", 0
    return (f"since {last.date.isoformat()}: {len(ch.added)} added, {len(ch.removed)} removed, "
            f"{len(ch.moved)} moved"), n


def _more(items: list[Any], cap: int) -> tuple[list[Any], int]:
    return items[:cap], max(0, len(items) - cap)


FLOW_TOP = 5  # capital flow: the services keeping the most cost; the rest is in the JSON report


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) >= 1 or v == 0 else f"{v:.3g}"


def _fitness(net: Network, folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The roll-ups (issue 17) for the summary, compact: latest month, the month before and
    the way it moved. None when the folder neither defines roll-ups nor records measures."""
    measures = sum(1 for d in net.documents.values() for m in d.contract.measures if m.values)
    f = folder_fitness(net, folder)
    if f.get("error"):
        return {"error": _one(f["error"]), "rows": [], "flow": [], "problems": [], "problems_more": 0, "measures": measures}
    if f["definitions"] is None and not measures:
        return None
    problems, problems_more = _more([_one(p) for p in f["problems"]], 6)
    return {"error": "", "rows": [_fitness_row(r) for r in f["rollups"][:SECTION_LIST_CAP]],
            "rows_more": max(0, len(f["rollups"]) - SECTION_LIST_CAP),
            **_capital_flow(f.get("capital_flow")),
            "problems": problems, "problems_more": problems_more, "measures": measures,
            "defined": f["definitions"] is not None}


def _fitness_row(r: dict[str, Any]) -> dict[str, str]:
    """One roll-up: its latest month's value, the month before's, and the way it moved."""
    trend = r["trend"]
    last, prev = (trend[-1] if trend else None), (trend[-2] if len(trend) > 1 else None)
    return {"name": _one(r["name"]), "unit": _one(r["unit"]),
            "latest": _num(last["value"]) if last else "—", "month": last["month"] if last else "",
            "previous": _num(prev["value"]) if prev else "", "arrow": _arrow(last, prev), "total": _num(r["total"])}


def _arrow(last: dict[str, Any] | None, prev: dict[str, Any] | None) -> str:
    if not (last and prev):
        return ""
    return "↑" if last["value"] > prev["value"] else "↓" if last["value"] < prev["value"] else "→"


def _capital_flow(flow: dict[str, Any] | None) -> dict[str, Any]:
    """The services keeping the most cost (``FLOW_TOP``), the unit and the rule."""
    kept = sorted(flow["services"], key=lambda s: -s["kept"])[:FLOW_TOP] if flow else []
    return {"flow": [{"name": _one(s["name"]), "kept": _num(s["kept"]), "own": _num(s["own"]),
                      "per_unit": _num(s["kept_per_unit"]) if s["kept_per_unit"] is not None else ""}
                     for s in kept if s["kept"]],
            "flow_unit": _one(flow["unit"]) if flow else "", "flow_rule": _one(flow["rule"]) if flow else ""}


@dataclass(slots=True)
class _Names:
    """Each node's name as shown, each service's anchor in the pack, and the sort key of
    every list of services."""

    name: dict[str, str]
    anchor: dict[str, str]
    order: dict[str, str]

    def link(self, sid: str) -> dict[str, Any]:
        return {"name": self.name[sid], "href": self.anchor.get(sid)}


def executive_context(net: Network, folder: str | os.PathLike[str], today: dt.date | None = None,
                      answered: NetworkAnswers | None = None, layout: NetworkLayout | None = None,
                      progress: Progress | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain data."""
    if layout is None and answered is None:
        # Graphviz lays the drawing out in a process of its own while the answers are
        # worked out here (0.45 s and ~0.7 s at 200 services, one after the other before).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            drawn = pool.submit(network_layout, net, PACK_DOT_TIMEOUT_S)
            answered = answer(net, today)
            layout = drawn.result()
    a = answered or answer(net, today)
    today = a.today
    layout = layout or network_layout(net, PACK_DOT_TIMEOUT_S)
    ans = a.answers
    services = net.services()
    names = _names(net, services)
    risks, risks_more = _risks(ans, names)
    groups = cycle_groups(net)
    by_item = _guidance_items(ans["guidance_rejections"], names)
    items, items_more = _more(sorted(by_item.values(), key=lambda g: (-len(g["services"]), natural_key(g["id"]))), TOP)
    overdue, overdue_more = _more([names.link(r["service_id"]) for r in ans["overdue_assessments"]], 30)
    sections = _sections(net, a, services, folder, names, progress)
    return {
        "folder": _one(Path(folder).resolve().name or folder),
        "today": today.isoformat(),
        "vocabulary": VOCABULARY,
        "palette": PALETTE,
        "counts": _counts(net, a, len(services), groups, len(by_item)),
        "biggest": _biggest(net, a, services, names),
        "risks": risks, "risks_more": risks_more,
        **_summary_lists(ans, groups),
        "guidance_items": items, "guidance_more": items_more,
        "overdue": overdue, "overdue_more": overdue_more,
        "unreadable": [{"file": Path(p).name, "reason": _one(reason)} for p, reason in [*net.unreadable, *net.duplicate_ids]][:TOP],
        "drawing": network_svg(layout, _colours(net, ans), names.anchor),
        # The governance loop across the folder (analysis/governance.py, issue 16), its own template.
        "fitness": _fitness(net, folder),
        "governance": (gov := network_governance(((d.service.name, d) for d in net.documents.values()), today).as_json()),
        "governance_fixed": _fits_fixed_columns(gov),
        "sections": sections,
    }


# The longest word (no space or hyphen to break at) a name or set may have for the
# governance tables' fixed columns (executive.css: the name a quarter of the width,
# ~150 px of 9.5 pt text); a longer one would run into the next column, where an
# automatic layout widens the column for it.
FIXED_COLUMN_WORD = 16
_BREAKS = re.compile(r"[\s\-/]+")


def _fits_fixed_columns(governance: dict[str, Any]) -> bool:
    """Whether every service name and criteria set in the governance tables fits its fixed column."""
    texts = [*governance["actions"], *(str(r["service"]) for r in governance["by_set"]),
             *(str(r["set"]) for r in governance["by_set"])]
    return all(len(word) <= FIXED_COLUMN_WORD for t in texts for word in _BREAKS.split(t))


def _names(net: Network, services: list[str]) -> _Names:
    name = {n: _one(net.name(n)) for n in net.graph.nodes}
    return _Names(name, {sid: _anchor(i) for i, sid in enumerate(services)}, {n: natural_key(name[n]) for n in name})


def _colours(net: Network, ans: dict[str, Any]) -> dict[str, str]:
    """Each node's colour key in the drawing (an external node whose file is unreadable has its own)."""
    broken = {r["node"] for r in ans["external"] if r.get("unreadable")}
    return {n: node_colour_key(net, n, broken) for n in net.graph.nodes}


def _counts(net: Network, a: NetworkAnswers, services: int, groups: list[list[str]], rejected_items: int) -> dict[str, int]:
    """The summary's numbers: every answer counted, whatever the lists show."""
    ans = a.answers
    rejections = ans["guidance_rejections"]
    return {
        "services": services, "dependencies": net.graph.number_of_edges(),
        "external": sum(1 for n in net.graph.nodes if net.is_external(n)),
        "findings": len(a.pairs), "unreadable": len(net.unreadable) + len(net.duplicate_ids),
        "direct_risks": len(ans["immature_dependencies"]), "indirect_risks": len(ans["indirect_risks"]),
        "cycles": len(groups), "in_cycles": sum(len(g) for g in groups), "duplication": len(ans["duplication"]),
        "custom_vs_commodity": len(ans["custom_vs_commodity"]), "rejections": len(rejections),
        "rejected_items": rejected_items,
        "overdue_reviews": len([r for r in rejections if r["review_overdue"]]),
        "old_versions": len([r for r in rejections if r["newer_version"]]),
        "overdue_assessments": len(ans["overdue_assessments"]),
    }


def _biggest(net: Network, a: NetworkAnswers, services: list[str], names: _Names) -> list[dict[str, Any]]:
    """The services whose failure reaches the most others (``TOP``)."""
    blast = sorted(services, key=lambda s: (-len(a.affected[s]), names.order[s]))
    return [{**names.link(s), "affected": len(a.affected[s]), "direct": net.graph.in_degree(s),
             "lifecycle": str(net.lifecycle(s))} for s in blast[:TOP] if a.affected[s]]


def _risks(ans: dict[str, Any], names: _Names) -> tuple[list[dict[str, Any]], int]:
    """The first ``TOP`` lifecycle risks, direct ones first, and how many more there are."""
    direct_risks = ans["immature_dependencies"]
    indirect = ans["indirect_risks"]
    # Only the rows shown are built (there can be 100,000 indirect risks); the rest are counted.
    risks = [{"service": names.link(r["service_id"]), "kind": r["kind"], "target": names.link(r["depends_on_id"]),
              "target_lifecycle": r["depends_on_lifecycle"],
              "path": [names.name[n] for n in r.get("path_ids") or [r["service_id"], r["depends_on_id"]]]}
             for r in [*direct_risks[:TOP], *indirect[:max(0, TOP - len(direct_risks))]]]
    return risks, max(0, len(direct_risks) + len(indirect) - TOP)


def _summary_lists(ans: dict[str, Any], groups: list[list[str]]) -> dict[str, Any]:
    """Cycles, duplicated capabilities and custom-vs-commodity, each capped at ``TOP``."""
    dup, dup_more = _more(ans["duplication"], TOP)
    cvc, cvc_more = _more(ans["custom_vs_commodity"], TOP)
    return {
        "cycles": [[_one(n) for n in g] for g in groups[:TOP]], "cycles_more": max(0, len(groups) - TOP),
        "duplication": [{"capability": _one(r["capability"]), "suppliers": [_one(s) for s in r["suppliers"]]} for r in dup],
        "duplication_more": dup_more,
        "cvc": [{"capability": _one(r["capability"]), "built": [_one(b["service"]) for b in r["built"]],
                 "commodity": len(r["commodity"])} for r in cvc], "cvc_more": cvc_more,
    }


def _guidance_items(rejections: list[dict[str, Any]], names: _Names) -> dict[str, dict[str, Any]]:
    """Guidance id -> the item and the services rejecting it."""
    by_item: dict[str, dict[str, Any]] = {}
    for r in rejections:
        g = by_item.setdefault(r["guidance_id"], {"id": r["guidance_id"], "title": _one(r["title"]), "services": []})
        g["services"].append(names.link(r["service_id"]))
    return by_item


def _sections(net: Network, a: NetworkAnswers, services: list[str], folder: str | os.PathLike[str], names: _Names,
              progress: Progress | None) -> list[dict[str, Any]]:
    """One section per service, in the services' order."""
    rows = {r["service_id"]: r for r in a.rows}
    # Each service's findings, in one pass: asking for each service in turn went through
    # every finding per service (800 services x 60,000 findings: 20 s).
    findings_of: dict[str, list[Any]] = {}
    for f, involved in a.pairs:
        for s in dict.fromkeys(involved):
            findings_of.setdefault(s, []).append(f)
    sections = []
    for i, sid in enumerate(services):
        if progress is not None and i % 10 == 0:
            progress(i, len(services), f"Service {i + 1} of {len(services)}")
        sections.append(_section(net, sid, a, rows[sid], findings_of.get(sid, []), folder, names))
    return sections


def _section(net: Network, sid: str, a: NetworkAnswers, r: dict[str, Any], found: list[Any],
             folder: str | os.PathLike[str], names: _Names) -> dict[str, Any]:
    doc = net.documents[sid]
    link, order = names.link, names.order
    deps = sorted(net.graph.successors(sid), key=order.__getitem__)
    users = sorted(net.graph.predecessors(sid), key=order.__getitem__)
    hit = sorted(a.affected[sid], key=order.__getitem__)
    hit_shown, hit_more = [link(n) for n in hit[:SECTION_LIST_CAP]], max(0, len(hit) - SECTION_LIST_CAP)
    found_shown, found_more = _section_findings(found)
    rej_shown, rej_more, rej_count = _section_rejections(doc)
    changes, _n = _changes(doc, a.today)
    return {
        "id": names.anchor[sid], "name": names.name[sid], "manager": _one(doc.service.manager) or "not named",
        "lifecycle": str(doc.service.lifecycle), "evolution": r["evolution_stage"] or "not stated",
        "path": _one(os.path.relpath(net.paths[sid], folder)) if _inside(net.paths[sid], folder) else net.paths[sid].name,
        "depends_on": [link(n) for n in deps][:SECTION_LIST_CAP], "depends_more": max(0, len(deps) - SECTION_LIST_CAP),
        "used_by": [link(n) for n in users][:SECTION_LIST_CAP], "used_more": max(0, len(users) - SECTION_LIST_CAP),
        "affected": len(hit), "affected_list": hit_shown, "affected_more": hit_more,
        "findings": found_shown, "findings_more": found_more, "findings_count": len(found),
        "rejected": rej_shown, "rejected_more": rej_more, "rejected_count": rej_count,
        "last_assessment": r["last_assessment"] or "never", "changes": changes,
    }


def _section_findings(found: list[Any]) -> tuple[list[dict[str, str]], int]:
    found_cap = SECTION_LIST_CAP // 2
    # "->" (cycles) would break after its hyphen at a line end: one arrow glyph instead.
    found_shown = [{"severity": str(f.severity), "message": _one(f.message).replace(" -> ", " → ")}
                   for f in found[:found_cap]]
    return found_shown, max(0, len(found) - found_cap)


def _section_rejections(doc: Any) -> tuple[list[dict[str, Any]], int, int]:
    """The service's rejected guidance: the first six, how many more, how many in all."""
    rejected = [d for d in doc.decisions if d.status is DecisionStatus.REJECTED]
    shown, more = _more([_rejection(d) for d in rejected], 6)
    return shown, more, len(rejected)


def _rejection(d: Any) -> dict[str, Any]:
    return {
        "id": d.guidance.id, "version": d.guidance.version, "title": _one(d.guidance.title),
        "reason": _one(d.reason), "alternative": _one(d.alternative), "risk": _one(d.accepted_risk),
        "review_by": d.review_by.isoformat() if d.review_by else "",
    }


def _inside(path: Path, folder: str | os.PathLike[str]) -> bool:
    try:
        path.resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def _css() -> str:
    from osom_desktop.export.pack_html import TEMPLATES

    return (TEMPLATES / "executive.css").read_text(encoding="utf-8")


def render_executive_html(context: dict[str, Any], *, part: str | None = None, sections: list[dict[str, Any]] | None = None,
                          first: bool = True, extra_css: str = "") -> str:
    """The pack as one page, or (``part``: "front", "drawing", "services", "governance") one part of
    the PDF with ``sections`` (executive_pack_pdf)."""
    from osom_desktop.export.pack_html import environment

    html = environment().get_template("executive.html.j2").render(
        x=context, css=Markup(_css()), part=part, first=first, extra_css=Markup(extra_css),
        sections=context["sections"] if sections is None else sections)
    return for_document(html)  # backstop: any text that reached the page unscrubbed


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The pack never loads anything: a URL in a name must not reach the network or the disk.
    raise ValueError(f"the executive pack loads nothing ({url[:60]})")


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_OBJ = re.compile(rb"\d+ \d+ obj")


def check_weasy_pdf(data: bytes) -> None:
    """A complete PDF as WeasyPrint writes it: header, ``%%EOF`` at the end, and
    ``startxref`` pointing at its cross-reference (a table, or a stream object, which
    ``output.check_pdf`` does not read)."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("the PDF is incomplete (no PDF header)")
    m = _STARTXREF.search(data[-1024:])
    if m is None:
        raise ValueError("the PDF is incomplete (it does not end with %%EOF)")
    at = int(m.group(1))
    if not (data.startswith(b"xref", at) or _OBJ.match(data, at)):
        raise ValueError("the PDF is damaged (its cross-reference is not where it says)")


def executive_pdf_bytes(context: dict[str, Any], progress: Progress | None = None) -> bytes:
    """The PDF, laid out a part at a time (``executive_pack_pdf``): memory stays flat."""
    from osom_desktop.export.executive_pack_pdf import pack_pdf

    return pack_pdf(lambda **kw: render_executive_html(context, **kw), context, _css(), _refuse_fetch, progress)


def write_executive(net: Network, folder: str | os.PathLike[str], out: str | os.PathLike[str],
                    today: dt.date | None = None, *, replace_read_only: bool = False,
                    progress: Progress | None = None) -> Path:
    """Write the pack as PDF (``.pdf``) or HTML (anything else), atomically and checked."""
    from osom_desktop.export.output import write_export

    out = Path(out)
    ctx = executive_context(net, folder, today, progress=progress)
    if out.suffix.lower() == ".pdf":
        data = executive_pdf_bytes(ctx, progress)
        return atomic_write_bytes(out, data, replace_read_only=replace_read_only, check=check_weasy_pdf)
    return write_export(out, render_executive_html(ctx).encode("utf-8"), "html", replace_read_only=replace_read_only)
