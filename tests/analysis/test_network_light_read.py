"""The network read from ``storage.network_read`` (only what the network uses) gives the
same answers as reading every file whole with ``open_document``: on a generated
folder of tangled services, on the project's .osom fixtures (older formats, migrated
on the way), a rich document, the bundled sample, a governed folder (CoEs, measures,
criteria results) and beside hostile entries. Real files on disk throughout."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from osom_desktop.analysis.governance import network_governance
from osom_desktop.analysis.network import Network, load_network, network_report
from osom_desktop.analysis.network_cache import DocumentCache
from osom_desktop.export.executive_pack import executive_context
from osom_desktop.fitness.rollups import folder_fitness
from osom_desktop.model.service import ServiceDocument
from osom_desktop.storage import StorageError, open_document, save_document
from osom_desktop.storage.network_read import read_network_document

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)


def _generated(folder: Path, n: int) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from bench_network import generate_folder
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate_folder(folder, n)
    return folder


def _fixtures(folder: Path) -> Path:
    from osom_desktop.samples import sample_document
    from tests.governance.network_folder import governed_folder
    from tests.storage.generate import rich_document

    folder.mkdir(parents=True)
    for f in sorted((REPO / "tests" / "fixtures" / "osom").glob("*.osom")):
        shutil.copy(f, folder / f.name)
    # Its own id: with format3.osom's (svc-tea) one of the two was left out of the network
    # as a copy, and which one depended on when each was saved.
    rich = rich_document()
    rich.service.id = "svc-tea-rich"
    save_document(rich, folder / "rich.osom", author="tests")
    save_document(sample_document(), folder / "sample.osom", author="tests")
    governed_folder(folder / "governed", TODAY)
    (folder / "broken.osom").write_bytes(b"not a service file at all")
    return folder


def _same_documents(folder: Path) -> None:
    """Every part the network reads equals the whole document's."""
    files = sorted(folder.rglob("*.osom"))
    assert files
    for path in files:
        try:
            whole = open_document(path)
        except StorageError as exc:
            with pytest.raises(StorageError) as light_exc:
                read_network_document(path)
            assert str(light_exc.value) == str(exc)  # the same one line
            continue
        light = read_network_document(path)
        for part in ("service", "contract", "decisions", "assessments", "contract_changes", "coes", "mandates",
                     "unmet_needs", "budgets"):
            assert getattr(light, part) == getattr(whole, part), (path.name, part)
        assert light.map.components == whole.map.components, path.name
        assert not light.map.links and not light.revisions  # not read: the network never uses them


def _same_answers(folder: Path) -> None:
    whole, light = load_network(folder), load_network(folder, light=True)
    assert network_report(light, TODAY) == network_report(whole, TODAY)

    def docs(net: Network) -> Iterator[tuple[str, ServiceDocument]]:
        return ((d.service.name, d) for d in net.documents.values())

    assert network_governance(docs(light), TODAY).as_json() == network_governance(docs(whole), TODAY).as_json()
    assert folder_fitness(light, folder) == folder_fitness(whole, folder)
    # The executive pack's every figure, the maps' changes since the last assessment included.
    assert executive_context(light, folder, TODAY) == executive_context(whole, folder, TODAY)


def test_generated_folder_gives_the_same_answers(tmp_path: Path) -> None:
    folder = _generated(tmp_path / "estate", 60)
    _same_documents(folder)
    _same_answers(folder)


def test_fixtures_and_governed_services_give_the_same_answers(tmp_path: Path) -> None:
    folder = _fixtures(tmp_path / "fixtures")
    _same_documents(folder)
    _same_answers(folder)
    net = load_network(folder, light=True)
    assert any(a.map_snapshot is not None for d in net.documents.values() for a in d.assessments)
    assert any(d.coes for d in net.documents.values()) and any(d.contract.measures for d in net.documents.values())


def test_hostile_entries_have_the_same_reasons(tmp_path: Path) -> None:
    from tests.analysis.hostile_folder import build

    hostile = build(tmp_path)
    whole, light = load_network(hostile.folder), load_network(hostile.folder, light=True)
    assert sorted(light.unreadable) == sorted(whole.unreadable)
    assert light.services() == whole.services()


def test_a_cache_reads_light_documents_once(tmp_path: Path) -> None:
    folder = _generated(tmp_path / "estate", 12)
    cache = DocumentCache(light=True)
    first = load_network(folder, cache=cache)
    assert cache.opened == 12 and all(not d.map.links for d in first.documents.values())
    again = load_network(folder, cache=cache)
    assert cache.opened == 12
    assert network_report(again, TODAY) == network_report(load_network(folder), TODAY)
