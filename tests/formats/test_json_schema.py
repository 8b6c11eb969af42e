"""The JSON export: a published, versioned schema; and osom import of it, lossless."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from osom_desktop.formats.json_schema import (
    FORMAT_VERSION,
    JsonImportError,
    document_json,
    generated_schema,
    published_schema,
    read_document_json,
)
from osom_desktop.model import ContractChange, ServiceDocument
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document


def _rich() -> ServiceDocument:
    doc = sample_document()
    doc.assessments[0].map_snapshot = copy.deepcopy(doc.map)
    doc.contract_changes.append(ContractChange(date=dt.date(2026, 3, 1), reason="new SLA", summary="99.9%", author="Åsa"))
    doc.map.components[0].description = "line one\nline two \x1b[2J"
    return doc


def _with_revisions(doc: ServiceDocument, like: ServiceDocument) -> ServiceDocument:
    doc.revisions = like.revisions
    doc.service.id = like.service.id
    for mine, theirs in zip(doc.decisions + doc.assessments + doc.contract_changes,
                            like.decisions + like.assessments + like.contract_changes, strict=True):
        mine.id = theirs.id
    return doc


def osom(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_the_shipped_schema_is_what_the_model_says() -> None:
    """A model change that alters the JSON must regenerate the schema (and, if it breaks
    readers, raise its version): python -m osom_desktop.formats.json_schema --write."""
    assert published_schema() == json.loads(json.dumps(generated_schema()))
    assert published_schema()["properties"]["format_version"] == {
        "const": FORMAT_VERSION, "description": "Which version of this schema the file follows."}


def test_export_validates_against_the_published_schema() -> None:
    Draft202012Validator.check_schema(published_schema())
    data = json.loads(document_json(_rich()))
    errors = list(Draft202012Validator(published_schema()).iter_errors(data))
    assert errors == []
    data["map"]["components"][0]["visibility"] = "high"
    assert list(Draft202012Validator(published_schema()).iter_errors(data))  # the schema does say something


def test_export_import_export_is_equal_through_the_command(tmp_path: Path) -> None:
    src = tmp_path / "a.osom"
    save_document(_rich(), src, author="Åsa", summary="first")
    first = tmp_path / "a.json"
    assert osom("export", src, "-f", "json", "-o", first).returncode == 0
    run = osom("import", first, "-o", tmp_path / "b.osom")
    assert run.returncode == 0, run.stderr
    assert "kept its history" in run.stderr
    second = osom("export", tmp_path / "b.osom", "-f", "json", "-o", "-")
    assert second.stdout == first.read_text(encoding="utf-8")
    back = open_document(tmp_path / "b.osom")  # opens as unchanged: fingerprints agree
    assert back == _with_revisions(_rich(), back)  # the whole document, as saved
    assert back.map.components[0].description.endswith("\x1b[2J")


def test_an_edited_json_is_imported_as_a_new_revision(tmp_path: Path) -> None:
    src = tmp_path / "a.osom"
    save_document(_rich(), src, summary="first")
    data = json.loads(osom("export", src, "-f", "json", "-o", "-").stdout)
    data["contract"]["purpose"] = "Edited by hand"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    assert osom("import", edited, "-o", tmp_path / "b.osom").returncode == 0
    back = open_document(tmp_path / "b.osom")
    assert back.contract.purpose == "Edited by hand"
    assert [r.summary for r in back.revisions] == ["first", "Imported from edited.json"]


def _exported() -> dict:
    return json.loads(document_json(_rich()))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: (d.pop("format"), d.update(services=[])), 'x.json: not an OSOM service document (no "format": "osom-service-document")'),
    (lambda d: d.update(format_version=2), "x.json: format_version 2; this osom reads version 1 (a newer osom wrote it)"),
    (lambda d: d["map"]["components"][1].update(evolution="far"), "x.json: map.components.1.evolution: Input should be a valid number (got 'far')"),
    (lambda d: d["map"]["notes"][0].update(visibility="0.5"), "x.json: map.notes.0.visibility: Input should be a valid number (got '0.5')"),
    (lambda d: d.update(contract={"purpose": 5}), "x.json: contract.purpose: 5 is not of type 'string'"),
    (lambda d: d["map"]["links"][0].update(weight=3), "x.json: map.links.0: Additional properties are not allowed ('weight'"),
    (lambda d: d["assessments"][0]["map_snapshot"]["components"][0].update(evolve={"evolution": 0.5, "x": 1}),
     "x.json: assessments.0.map_snapshot.components.0.evolve: Additional properties are not allowed ('x'"),
    (lambda d: d["service"].update(lifecycle="gamma"), "x.json: service.lifecycle: 'gamma' is not one of"),
    (lambda d: d["map"]["links"][0].update(target="ghost"), "x.json: map.links.0.target: 'ghost' is no component's id"),
    (lambda d: d["map"]["components"][0].update(colour="red"), "x.json: map.components.0: Additional properties are not allowed ('colour'"),
])
def test_bad_json_is_one_line_naming_the_field(change, message: str) -> None:
    data = _exported()
    change(data)
    with pytest.raises(JsonImportError) as err:
        read_document_json(json.dumps(data).encode(), "x.json")
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(("data", "message"), [
    (b"{" * 100 + b"}" * 100, "x.json: nested more than 64 deep"),
    (b'{"a": NaN}', "x.json: NaN is not a number JSON allows"),
    (b'{"a": 1,}', "x.json:1: not JSON"),
    (b"\xff\xfe", "x.json:1: not UTF-8 text"),
])
def test_malformed_json_is_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(JsonImportError) as err:
        read_document_json(data, "x.json")
    assert str(err.value).startswith(message)


def test_cli_import_of_bad_json_writes_nothing_and_keeps_what_was_there(tmp_path: Path) -> None:
    data = _exported()
    data["map"]["links"][0]["source"] = "ghost"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "kept.osom"
    save_document(sample_document(), target)
    before = target.read_bytes()
    run = osom("import", bad, "-o", target, "--force")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f"osom: {bad}: map.links.0.source: 'ghost' is no component's id"
    assert target.read_bytes() == before


def test_json_exported_before_the_format_was_named_is_read(tmp_path: Path) -> None:
    doc = _rich()
    old = doc.model_dump_json(indent=2).encode()  # what osom export --format json wrote before
    assert read_document_json(old, "old.json") == doc
