"""The governance pack, checked the way its reader meets it: real files, parsed HTML,
pdftotext/pdffonts on the PDF, ``osom pack`` as a subprocess with no display."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osom_desktop.analysis.map_diff import map_changes
from osom_desktop.export.pack import CONTRACT_HEADINGS, build_pack, link_parts
from osom_desktop.export.pack_html import render_pack_html, write_pack_html
from osom_desktop.export.pack_pdf import write_pack_pdf
from osom_desktop.model.service import (
    Assessment,
    DecisionStatus,
    GuidanceDecision,
    GuidanceItem,
    ServiceDocument,
)
from osom_desktop.model.wardley import Component, WardleyMap
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from tests.property_settings import examples

TODAY = dt.date(2026, 11, 25)
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script>",
    "javascript:alert(1)",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)>",
    "&amp; &lt;b&gt;",
    "data:text/html,<script>alert(1)</script>",
    "<style>@import url(http://evil.example/x.css)</style>",
]


def _sample(tmp_path: Path) -> tuple[ServiceDocument, Path]:
    doc = sample_document()
    path = tmp_path / "notifications.osom"
    save_document(doc, path, summary="test")
    from osom_desktop.storage import open_document

    return open_document(path), path


# -- map changes -----------------------------------------------------------------------


def _map(*items: tuple[str, str, float]) -> WardleyMap:
    return WardleyMap(components=[Component(id=i, name=n, visibility=0.5, evolution=e) for i, n, e in items])


def test_map_changes_added_removed_moved() -> None:
    old = _map(("a", "Alpha", 0.1), ("b", "Beta", 0.5), ("c", "Gamma", 0.7), ("d", "Delta", 0.3))
    new = _map(("a", "Alpha", 0.4), ("b", "Beta", 0.515), ("x", "gamma ", 0.9), ("e", "Epsilon", 0.2))
    ch = map_changes(old, new)
    assert ch.added == ["Epsilon"]
    assert ch.removed == ["Delta"]
    # Beta moved 0.015: a nudge, not a change. Gamma matched by name despite a new id.
    assert [(m.name, m.old_evolution, m.new_evolution) for m in ch.moved] == [("Alpha", 0.1, 0.4), ("gamma ", 0.7, 0.9)]
    assert map_changes(old, old).empty


def test_changes_light_up_with_a_snapshot(tmp_path: Path) -> None:
    doc, path = _sample(tmp_path)
    doc.assessments.append(
        Assessment(date=dt.date(2026, 6, 1), kind="periodic", outcome="met", map_revision=1)
    )
    pack = build_pack(doc, source_path=path, today=TODAY)
    assert "not kept in the file" in pack.services[0].changes_note
    old = WardleyMap(components=[Component(id=c.id, name=c.name, visibility=c.visibility,
                                           evolution=max(0.0, (c.evolution or 0) - 0.3)) for c in doc.map.components[1:]])
    pack = build_pack(doc, source_path=path, today=TODAY, map_snapshots={1: old})
    s = pack.services[0]
    assert s.changes is not None and s.changes.added == [doc.map.components[0].name]
    assert s.changes.moved
    html = render_pack_html(pack)
    assert "Moved along evolution" in html and "Components moved along evolution" in html


def test_link_parts_only_http_https_mailto() -> None:
    parts = link_parts("see https://example.org/help. or javascript:alert(1) or mailto:a@b.org, file:///etc")
    assert [p for p, link in parts if link] == ["https://example.org/help", "mailto:a@b.org"]
    assert "".join(p for p, _ in parts) == "see https://example.org/help. or javascript:alert(1) or mailto:a@b.org, file:///etc"


# -- HTML --------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)


def check_html_is_inert(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    assert not re.search(r"<\s*script", html, re.IGNORECASE)
    csp = [dict(a) for t, a in p.tags if t == "meta" and dict(a).get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"] and "script" not in csp[0]["content"]
    for tag, attrs in p.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img", "link", "base", "form", "foreignobject", "image")
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
            assert name.lower() not in ("src", "srcset", "xlink:href", "action", "formaction", "background")
            if name.lower() == "href":
                assert tag == "a", tag
                assert re.match(r"(https?://|mailto:)", value or "", re.IGNORECASE), value
            if value and tag != "a":
                assert "javascript:" not in value.lower() and "http://" not in value.lower().replace(
                    "http://www.w3.org/2000/svg", ""
                ), (tag, name, value)
    return p


def _hostile_document(text: str) -> ServiceDocument:
    doc = sample_document()
    doc.service.name = text
    doc.service.manager = text
    c = doc.contract
    c.purpose = c.usage = c.expectations_success = c.expectations_failure = c.help = text
    c.user_needs = [text]
    c.measures[0].name = text
    c.measures[0].unit = text
    c.dependencies[0].service_name = text
    c.dependencies[0].description = text
    doc.map.components[2].name = text
    doc.map.title = text
    doc.decisions.append(
        GuidanceDecision(
            guidance=GuidanceItem(id=text, title=text, text=text, version=text),
            status=DecisionStatus.REJECTED, reason=text, alternative=text, accepted_risk=text,
            decided_by=text, decided_on=dt.date(2026, 1, 1), review_by=dt.date(2026, 2, 1),
        )
    )
    doc.assessments[0].notes = text
    return doc


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_not_run(text: str) -> None:
    doc = _hostile_document(text)
    html = render_pack_html(build_pack(doc, source_path=f"{text}.osom", today=TODAY))
    p = check_html_is_inert(html)
    assert "".join(p.text["h1"]).strip() == text
    assert text in "".join(p.text.get("li", []))  # user needs
    assert "OVERDUE" in html


_texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=12), st.sampled_from(HOSTILE), st.text(max_size=12)),
).map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff\ufffe\uffff]", "", s).strip()).filter(bool)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
def test_any_text_is_shown_not_run(text: str) -> None:
    doc = _hostile_document(text)
    html = render_pack_html(build_pack(doc, source_path="x.osom", today=TODAY))
    p = check_html_is_inert(html)
    assert "".join(p.text["h1"]).strip() == " ".join(text.split()) or "".join(p.text["h1"]).strip() == text


def test_user_links_are_links_and_only_those(tmp_path: Path) -> None:
    doc = sample_document()
    doc.contract.help = "Ask at https://help.example.org/notify or mailto:team@example.org; not javascript:alert(1)"
    out = write_pack_html(build_pack(doc, source_path="n.osom", today=TODAY), tmp_path / "p.html")
    p = check_html_is_inert(out.read_text(encoding="utf-8"))
    hrefs = [dict(a)["href"] for t, a in p.tags if t == "a"]
    assert hrefs == ["https://help.example.org/notify", "mailto:team@example.org"]


# -- PDF ---------------------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def test_pdf_text_fonts_pages(tmp_path: Path) -> None:
    doc, path = _sample(tmp_path)
    out = write_pack_pdf(build_pack(doc, source_path=path, today=TODAY), tmp_path / "pack.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = _words(text)
    name = doc.service.name
    c = doc.contract
    wanted = [name, doc.service.manager, *CONTRACT_HEADINGS, *c.user_needs, c.purpose, c.usage,
              c.expectations_success, c.expectations_failure, c.help, doc.service.lifecycle.value,
              c.evolution_stage.value, *(m.name for m in c.measures), *(d.service_name for d in c.dependencies)]
    for d in doc.decisions:
        wanted += [d.guidance.title, d.reason, d.guidance.text]
    for w in wanted:
        assert _words(w) in flat, w
    page_text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for comp in doc.map.components:
        assert comp.name in page_text, comp.name
    pages = [p for p in page_text.split("\f") if p.strip()]
    assert len(pages) > 1
    for i, page in enumerate(pages, 1):
        assert name in page and f"page {i} of {len(pages)}" in page
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts, "no fonts: the PDF would carry no text"
    for line in fonts:
        assert line.split()[-5] == "yes", line  # emb


# -- osom pack ---------------------------------------------------------------------------


def test_osom_pack_with_no_display(tmp_path: Path) -> None:
    _, path = _sample(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for name in ("pack.html", "pack.pdf"):
        r = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "pack", str(path), "-o", str(tmp_path / name)],
                           capture_output=True, text=True, env=env, timeout=60, check=False)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    check_html_is_inert((tmp_path / "pack.html").read_text(encoding="utf-8"))
    for args in ([str(path), "-o", str(tmp_path / "pack.docx")], [str(tmp_path / "missing.osom"), "-o", str(tmp_path / "x.pdf")]):
        r = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "pack", *args],
                           capture_output=True, text=True, env=env, timeout=60, check=False)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_pack_compares_with_the_map_kept_by_the_last_assessment(tmp_path: Path) -> None:
    """Record an assessment (which keeps the map), edit the map, save, reopen: the pack
    shows what changed since, from the file alone."""
    from osom_desktop.storage import open_document

    doc, path = _sample(tmp_path)
    doc.assessments.append(Assessment(date=dt.date(2026, 6, 1), kind="periodic", outcome="met",
                                      map_revision=doc.revisions[-1].number, map_snapshot=copy.deepcopy(doc.map)))
    doc.map.components[-1].evolution = 0.3  # Compute moves back along evolution
    doc.map.components.append(Component(id="new", name="Chatbot", visibility=0.7, evolution=0.1))
    save_document(doc, path, summary="after the assessment")
    s = build_pack(open_document(path), source_path=path, today=TODAY).services[0]
    assert s.changes is not None and s.changes.added == ["Chatbot"]
    assert [m.name for m in s.changes.moved] == ["Compute"]
    assert "Compared with the map at the assessment of 2026-06-01" in s.changes_note
