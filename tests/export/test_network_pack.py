"""The executive pack of a folder, checked as its reader meets it: ``osom network``
as a subprocess with no display, the HTML parsed, pdftotext on the PDF."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osom_desktop.analysis.network import load_network, network_findings
from osom_desktop.export.network_pack import build_network_pack
from osom_desktop.export.pack_html import render_pack_html
from osom_desktop.export.pack_svg import network_svg
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
                assert (value or "").startswith(("http://", "https://", "mailto:", "#")), (tag, name, value)
    assert any(t == "meta" and ("http-equiv", "Content-Security-Policy") in a for t, a in p.tags)
    return p


def _words(text: str) -> str:
    return " ".join(text.split())


def test_network_drawing_is_deterministic_and_escaped(tmp_path: Path) -> None:
    pack = build_network_pack(load_network(_folder(tmp_path)), tmp_path / "estate", today=TODAY)
    n = pack.network
    assert n is not None and (n.services, n.dependencies, len(n.unreadable)) == (3, 2, 1)
    svg = str(network_svg(n.nodes, n.edges))
    assert svg == str(network_svg(n.nodes, n.edges))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)" in svg  # shortened to fit its box
    assert svg.count('marker-end="url(#net-arrow)"') == 2
    assert {s.name for s in pack.services} == set(NAMES)


def test_osom_network_html(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "pack.html"
    run = _osom("network", folder, "--format", "html", "-o", out)
    assert run.returncode == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    p = _check_inert(html)
    text = _words("".join(p.data))
    for name in NAMES:
        assert name in text, name
    assert HOSTILE in "".join(p.data)  # shown as text, never as a tag
    for f in network_findings(load_network(folder), TODAY):
        assert _words(f.message) in text, f.message
    assert "broken.osom" in text and "Unreadable files" in text
    assert "Use the shared card gateway" in text  # the service's own pack follows


def test_osom_network_pdf(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "pack.pdf"
    run = _osom("network", folder, "--format", "pdf", "-o", out)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = _words(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    for name in NAMES:
        assert name in text, name
    for f in network_findings(load_network(folder), TODAY):
        assert _words(f.message) in text, f.message
    pages = [pg for pg in subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                         check=True).stdout.split("\f") if pg.strip()]
    for i, page in enumerate(pages, 1):
        assert f"page {i} of {len(pages)}" in page
    assert "estate" in pages[0]
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


@pytest.mark.parametrize("fmt", ["html"])
def test_empty_folder_still_makes_a_pack(tmp_path: Path, fmt: str) -> None:
    html = render_pack_html(build_network_pack(load_network(tmp_path), tmp_path, today=TODAY))
    _check_inert(html)
    assert "No service files in this folder." in html
