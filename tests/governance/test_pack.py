"""The governance loop in the packs and the report export: what the executive reads.
Checked with an HTML parser and pdftotext; hostile text stays inert everywhere."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osom_desktop.export.assessment_report import write_report_html, write_report_pdf
from osom_desktop.export.pack import build_pack
from osom_desktop.export.pack_html import render_pack_html
from osom_desktop.export.pack_pdf import write_pack_pdf
from osom_desktop.model.service import CoEStatus
from tests.governance.records import HOSTILE, governed_document

TODAY = dt.date(2026, 5, 1)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [k for k, _v in attrs if k.startswith("on")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:  # pragma: no cover - poppler-utils is in setup.sh
        pytest.skip("pdftotext not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_html_pack_holds_the_report_actions_mandates_published_coes_and_needs_and_no_script() -> None:
    doc = governed_document(HOSTILE)
    doc.coes.append(doc.coes[0].model_copy(update={"id": "draft", "title": "Secret draft", "status": CoEStatus.DRAFT}))
    page = parsed(render_pack_html(build_pack(doc, source_path="svc.osom", today=TODAY)))
    text = " ".join("".join(page.text).split())
    assert "script" not in page.tags and page.handlers == []
    assert "<script>alert('x')</script>" in text  # shown as text, not run
    for expected in ("Assessment report", "progress to beta", "Operate reliably", "amber", "On-call rota",
                     "Set up on-call", "2026-04-10 (overdue)", "M-1", "Working on it", "Outage on 3 March",
                     "Expired certificate", "awaiting review", "Send by post", "Needs the contract does not meet"):
        assert expected in text, expected
    assert "Secret draft" not in text  # drafts are the service's own until published


def test_the_pdf_pack_and_the_report_export_say_the_same(tmp_path: Path) -> None:
    doc = governed_document(HOSTILE)
    pdf = write_pack_pdf(build_pack(doc, source_path="svc.osom", today=TODAY), tmp_path / "pack.pdf")
    text = " ".join(pdf_text(pdf).split())
    for expected in ("Assessment report", "Operate reliably", "OVERDUE", "Use the shared identity service",
                     "Expired certificate", "awaiting review", "Send by post"):
        assert expected in text, expected
    report = write_report_pdf(doc, "asm1", tmp_path / "report.pdf", source_path="svc.osom", today=TODAY)
    rtext = " ".join(pdf_text(report).split())
    assert "Service assessment report" in rtext and "progress to beta" in rtext and "Understand" in rtext
    html = write_report_html(doc, "asm1", tmp_path / "report.html", source_path="svc.osom", today=TODAY)
    page = parsed(html.read_text(encoding="utf-8"))
    assert "script" not in page.tags
    assert "Operate reliably" in "".join(page.text)
