"""A map imported from OWM text is exported byte for byte where nobody changed it, also
through a saved .osom file and the real ``osom`` command; what changed is written afresh."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from osom_desktop.model import Document, ServiceDocument
from osom_desktop.owm import parse_owm, write_owm
from osom_desktop.storage import SCHEMA_VERSION, open_document, save_document
from tests.owm.owm_engine import corpus_maps

MAPS = corpus_maps()


def _osom(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_saved_and_reopened_map_exports_as_it_was_read(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    saved = tmp_path / "service.osom"
    save_document(ServiceDocument(map=parse_owm(text, path.name).map), saved)
    assert write_owm(open_document(saved).map) == text


def test_osom_import_then_export_is_byte_for_byte(tmp_path: Path) -> None:
    source = next(p for p in MAPS if p.name == "damonsk__wardley-maps-examples__PST_Example.owm")
    saved = tmp_path / "pst.osom"
    assert _osom("import", source, "-o", saved).returncode == 0
    exported = _osom("export", saved, "--format", "owm", "-o", "-")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == source.read_text(encoding="utf-8")


def test_what_was_edited_is_written_afresh_and_nothing_else(tmp_path: Path) -> None:
    text = "title T\ncomponent Cup of Tea [0.70, 0.60]   // the cup\ncomponent Water [0.30,0.80]\ncup of tea -> Water\n"
    doc = Document(ServiceDocument(map=parse_owm(text).map))
    cup = doc.map.component_by_name("Cup of Tea")
    assert cup is not None
    doc.move_components({cup.id: (0.75, 0.6)})
    path = tmp_path / "edited.osom"
    save_document(doc.data, path)
    assert write_owm(open_document(path).map) == (
        "title T\ncomponent Cup of Tea [0.75, 0.6]\n// the cup\ncomponent Water [0.30,0.80]\ncup of tea -> Water\n"
    )
    doc.update_element(cup.id, name="Pot of Tea")  # the link's line names it: written afresh too
    assert write_owm(doc.map).splitlines()[-1] == "Pot of Tea->Water"


def test_size_and_hidden_axes_survive_a_save(tmp_path: Path) -> None:
    text = "evolution --hide\nvaluechain --hide\nsize [1200, 900]\ncomponent A [0.5, 0.5]\n"
    path = tmp_path / "axes.osom"
    save_document(ServiceDocument(map=parse_owm(text).map), path)
    m = open_document(path).map
    assert (m.size, m.evolution_axis_hidden, m.value_chain_hidden) == ((1200, 900), True, True)
    m.owm_source.clear()
    assert write_owm(m) == text


def test_a_file_of_the_previous_format_opens_and_exports_as_the_writer_makes_it(tmp_path: Path) -> None:
    path = tmp_path / "v2.osom"
    save_document(ServiceDocument(map=parse_owm("component A [0.50, 0.5]\nvaluechain --hide\n").map), path)
    db = sqlite_utils.Database(sqlite3.connect(path), execute_plugins=False)
    db["owm_lines"].drop()
    db["owm_settings"].drop()
    db.execute("PRAGMA user_version = 2")
    db.conn.commit()
    db.conn.close()
    before = path.read_bytes()
    m = open_document(path).map
    assert path.read_bytes() == before  # migrated in memory only
    assert not m.value_chain_hidden and m.owm_source == {}
    assert write_owm(m) == "component A [0.5, 0.5]\n"
    again = tmp_path / "v3.osom"
    save_document(ServiceDocument(map=m), again)
    with sqlite3.connect(again) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
