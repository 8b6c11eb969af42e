"""A contract with required parts left empty is a finding, naming each part in the
contract form's words: a brand-new service (File > New, nothing filled in) was
"Nothing to report", `osom check` called it sound and its governance pack said "No
findings" beside an empty contract (issue 13/14). Real files, the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from html import unescape
from pathlib import Path

from osom_desktop.analysis.service_checks import CONTRACT_PARTS, check_document
from osom_desktop.model.service import EvolutionStage, Measure, ServiceDocument
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document
from tests.analysis.services import TODAY

EVERY_PART = ("Manager, Purpose (point 1), User needs (point 1), Evolution (point 3), How the service is used "
              "(point 4), Success (point 5), Failure (point 5), How performance is measured (point 6), "
              "How to get help (point 7)")


def reopened(doc: ServiceDocument, path: Path) -> ServiceDocument:
    save_document(doc, path)
    return open_document(path)


def incomplete(doc: ServiceDocument) -> list[str]:
    return [f.message for f in check_document(doc, today=TODAY) if f.code == "contract-incomplete"]


def test_a_new_service_is_told_its_contract_is_empty_naming_every_part(tmp_path: Path) -> None:
    doc = reopened(ServiceDocument(), tmp_path / "new.osom")
    assert incomplete(doc) == [f"none of the contract's 9 required parts is filled in: {EVERY_PART}"]
    first = check_document(doc, today=TODAY)[0]
    assert first.code == "contract-incomplete" and str(first.severity) == "warning"


def test_a_partly_filled_contract_names_only_what_is_missing(tmp_path: Path) -> None:
    doc = ServiceDocument()
    doc.service.manager = "Ada"
    doc.contract.purpose = "Sends alerts"
    doc.contract.user_needs = ["know when the bins are collected"]
    doc.contract.evolution_stage = EvolutionStage.PRODUCT
    doc.contract.usage = "  "  # only spaces: still empty
    doc.contract.expectations_success = "99.9%"
    doc.contract.measures = [Measure(name="Alerts sent")]
    doc = reopened(doc, tmp_path / "partly.osom")
    assert incomplete(doc) == ["the contract leaves 3 of its 9 required parts empty: How the service is used "
                               "(point 4), Failure (point 5), How to get help (point 7)"]
    doc.contract.usage, doc.contract.expectations_failure = "Web", "We tell you"
    assert incomplete(doc) == ["the contract leaves a required part empty: How to get help (point 7)"]


def test_a_filled_contract_has_no_such_finding(tmp_path: Path) -> None:
    assert incomplete(reopened(sample_document(), tmp_path / "sample.osom")) == []
    assert len(CONTRACT_PARTS) == 9


def _osom(*args: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["OSOM_CHECK_SERVER"] = "0"  # this process's code, not a warm server's
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          check=False, capture_output=True, text=True, env=env, timeout=120)


def test_osom_check_reports_an_empty_contract_and_the_pack_shows_it(tmp_path: Path) -> None:
    new = tmp_path / "new.osom"
    save_document(ServiceDocument(), new)
    run = _osom("check", new)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.splitlines() == [f"{new}: warning: none of the contract's 9 required parts is filled in: {EVERY_PART}"]
    assert run.stderr.strip() == f"{new}: 1 problem(s) found"
    pack = tmp_path / "pack.html"
    made = _osom("pack", new, "-o", pack)
    assert made.returncode == 0, made.stderr
    html = unescape(pack.read_text(encoding="utf-8"))
    assert "No findings" not in html and "none of the contract's 9 required parts is filled in: Manager" in html


def test_osom_check_of_owm_text_says_nothing_of_a_contract_it_cannot_hold(tmp_path: Path) -> None:
    owm = tmp_path / "map.owm"
    owm.write_text("title Tea\ncomponent Tea [0.8, 0.3]\n", encoding="utf-8")
    run = _osom("check", owm)
    assert run.returncode == 0 and run.stdout.strip() == f"{owm}: sound", run.stdout + run.stderr
