"""A cold ``osom pack`` beside many files: the same pack as a warm one, and as SQLite reading every file gives.

``osom pack`` reads its folder as ``osom check`` does (``ServiceDirectory.around`` is
``FolderNeighbours`` asked about one file): with no summary cache each neighbour's id
and name is peeked from a few of its pages, and SQLite reads only the files the peek is
not sure of. Before, ``around`` read every id and name with SQLite. The pack must not
change. The folder is the one of ``tests/analysis/test_folder_cold_check.py`` (the
service "Payments" in a file named otherwise, two files claiming "Identity", two holding
Ledger's id, a file rewritten by another program, garbage, a FIFO, a trigger, a file
whose summary is refused) with 150 more services beside it. The reference is the pack
built from ``ServiceDirectory.scan(use_cache=False)``, SQLite's summary of every file:
``around`` was written to answer every look-up of a check or a pack as that does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.export.pack import build_pack
from osom_desktop.export.pack_html import write_pack_html
from osom_desktop.storage import open_document, peek
from osom_desktop.storage.summary import SummaryCache
from tests.analysis.services import TODAY, document, saved
from tests.analysis.test_folder_cold_check import tricky_folder
from tests.cli.test_cli import osom

UNREADABLE = {"broken.osom", "pipe.osom", "trigger.osom", "b-identity-bad.osom"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    services = tricky_folder(tmp_path_factory.mktemp("cold-pack") / "services").parent
    for i in range(150):  # many more services beside it, nobody naming them
        saved(document(f"Neighbour {i}", sid=f"svc-n-{i}"), services)
    return services


@pytest.fixture
def cold_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OSOM_HOME", str(tmp_path / "home"))  # an empty summary cache: the cold case
    peek._SCHEMAS.clear()
    return tmp_path


def test_a_cold_osom_pack_is_the_warm_pack_and_the_full_scans(folder: Path, cold_home: Path) -> None:
    checked = folder / "apply-online.osom"
    cold, warm, reference = cold_home / "cold.html", cold_home / "warm.html", cold_home / "reference.html"
    run = osom("pack", checked, "-o", cold)
    assert run.returncode == 0, run.stderr
    regular = [p for p in folder.glob("*.osom") if p.is_file()]
    assert len(SummaryCache(folder).entries) == len(regular) > 180  # every file's id and name remembered: warm next
    run = osom("pack", checked, "-o", warm)
    assert run.returncode == 0, run.stderr
    doc = open_document(checked)
    full = ServiceDirectory.scan(folder, use_cache=False)  # every file read whole by SQLite
    write_pack_html(build_pack(doc, source_path=checked, directory=full, today=dt.date.today()), reference)
    html = cold.read_text(encoding="utf-8")
    assert html == warm.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")
    # The neighbours that decide were really found: the retired copy holding Ledger's id (first by
    # path), Payments in zz-billing.osom, the beta "IDENTITY" copy rather than the retired one.
    for said in ("A ledger copy", "still in alpha", "Hosting platform", "declares itself custom"):
        assert said in html, said
    assert "&#x27;Identity&#x27;, which is retired" not in html and "'Identity', which is retired" not in html


def test_every_file_packed_cold_as_from_the_full_scan(folder: Path, cold_home: Path) -> None:
    full = ServiceDirectory.scan(folder, use_cache=False)
    for path in sorted(folder.glob("*.osom")):
        if path.name in UNREADABLE or path.name.startswith("neighbour-"):
            continue
        doc = open_document(path, verify=False)  # hosting.osom was edited by another program
        peek._SCHEMAS.clear()  # as a new process: the first file's schema parsed again
        near = ServiceDirectory.around(doc, folder, use_cache=False)
        assert build_pack(doc, source_path=path, directory=near, today=TODAY) == \
            build_pack(doc, source_path=path, directory=full, today=TODAY), path
        # Unreadable neighbours are still named, each once (the pack itself does not list them).
        assert {p.name for p, _ in near.unreadable} >= {"broken.osom", "pipe.osom", "trigger.osom"}
        assert len(near.unreadable) == len(set(near.unreadable))
