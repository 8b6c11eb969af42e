"""Governance records survive the .osom file; files of format 3 keep opening."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from osom_desktop.storage import SCHEMA_VERSION, open_document, save_document
from tests.governance.records import HOSTILE, governed_document

FORMAT3 = Path(__file__).parent.parent / "fixtures" / "osom" / "format3.osom"


def _records(doc):  # type: ignore[no-untyped-def]
    return (doc.assessments, doc.coes, doc.mandates, doc.unmet_needs)


def test_every_governance_record_round_trips(tmp_path: Path) -> None:
    doc = governed_document(HOSTILE.replace("\x0b", ""))
    path = tmp_path / "svc.osom"
    save_document(doc, path)
    back = open_document(path)
    assert _records(back) == _records(doc)
    assert back.assessments[0].results[1].decision == "amber"
    assert back.assessments[0].actions[1].closed_on is not None
    assert back.coes[0].actions[0].status == "done"
    assert back.mandates[0].components == ["Login" + HOSTILE.replace("\x0b", ""), "Users"]


def test_a_file_written_by_format_3_opens_with_its_assessments_and_saves_as_format_4(tmp_path: Path) -> None:
    path = tmp_path / "old.osom"
    shutil.copyfile(FORMAT3, path)
    before = path.read_bytes()
    doc = open_document(path)
    assert path.read_bytes() == before  # opening never touches the file
    notes = [a.notes for a in doc.assessments]
    assert "Written by format 3" in notes
    old = doc.assessments[notes.index("Written by format 3")]
    assert old.assessors == ["Ada", "Grace"] and old.map_snapshot is not None and old.map_revision == 1
    assert (old.scale, old.stage_outcome, old.results, old.actions) == ("", "", [], [])
    assert doc.coes == [] and doc.mandates == [] and doc.unmet_needs == []
    # Saved again it is the current format, and a governance record can be added.
    doc.unmet_needs.extend(governed_document().unmet_needs)
    save_document(doc, path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    conn.close()
    again = open_document(path)
    assert again.unmet_needs == governed_document().unmet_needs
    assert [a.notes for a in again.assessments] == notes


def test_governance_records_round_trip_through_the_json_export_and_match_the_schema() -> None:
    from jsonschema import Draft202012Validator

    from osom_desktop.formats.json_schema import document_json, published_schema, read_document_json

    doc = governed_document(HOSTILE)
    text = document_json(doc)
    data = json.loads(text)
    assert list(Draft202012Validator(published_schema()).iter_errors(data)) == []
    assert data["coes"][0]["status"] == "published" and data["assessments"][0]["results"][1]["decision"] == "amber"
    back = read_document_json(text.encode(), "svc.json")
    assert _records(back) == _records(doc)
