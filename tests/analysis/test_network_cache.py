"""load_network with a DocumentCache: a reload opens only new or changed files."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.analysis.network import load_network
from osom_desktop.analysis.network_cache import DocumentCache
from osom_desktop.storage import open_document, save_document
from tests.analysis.services import dependency, document, saved


def three(folder: Path) -> dict[str, Path]:
    docs = [document("A", sid="svc-a", deps=[dependency("B", "svc-b")]), document("B", sid="svc-b"), document("C", sid="svc-c")]
    return {d.service.id: saved(d, folder) for d in docs}


def names(net) -> set[str]:
    return {d.service.name for d in net.documents.values()}


def test_second_load_reopens_only_the_changed_file(tmp_path: Path) -> None:
    paths = three(tmp_path)
    cache = DocumentCache()
    first = load_network(tmp_path, cache=cache)
    assert cache.opened == 3 and names(first) == {"A", "B", "C"}
    again = load_network(tmp_path, cache=cache)
    assert cache.opened == 3  # nothing changed: nothing opened
    assert names(again) == {"A", "B", "C"} and again.graph.has_edge("svc-a", "svc-b")

    doc = open_document(paths["svc-b"])
    doc.service.name = "B renamed"
    save_document(doc, paths["svc-b"], author="tests")
    changed = load_network(tmp_path, cache=cache)
    assert cache.opened == 4  # exactly the one changed file
    assert names(changed) == {"A", "B renamed", "C"}
    assert changed.graph.has_edge("svc-a", "svc-b")


def test_deleted_file_disappears_and_added_file_appears(tmp_path: Path) -> None:
    paths = three(tmp_path)
    cache = DocumentCache()
    load_network(tmp_path, cache=cache)
    paths["svc-c"].unlink()
    saved(document("D", sid="svc-d"), tmp_path / "sub")
    net = load_network(tmp_path, cache=cache)
    assert names(net) == {"A", "B", "D"}
    assert cache.opened == 4  # only the new file
    assert len(cache) == 3  # the deleted file is forgotten


def test_unreadable_file_is_cached_with_its_reason_and_reread_when_fixed(tmp_path: Path) -> None:
    three(tmp_path)
    bad = tmp_path / "broken.osom"
    bad.write_bytes(b"not a database at all")
    cache = DocumentCache()
    net = load_network(tmp_path, cache=cache)
    assert [p for p, _ in net.unreadable] == [bad] and cache.opened == 4
    net = load_network(tmp_path, cache=cache)
    assert [p for p, _ in net.unreadable] == [bad] and cache.opened == 4
    bad.unlink()
    saved(document("Fixed", sid="svc-fixed"), tmp_path, "broken.osom")
    net = load_network(tmp_path, cache=cache)
    assert not net.unreadable and "Fixed" in names(net) and cache.opened == 5


def test_cached_load_matches_an_uncached_one(tmp_path: Path) -> None:
    three(tmp_path)
    cache = DocumentCache()
    load_network(tmp_path, cache=cache)
    cached, plain = load_network(tmp_path, cache=cache), load_network(tmp_path)
    assert sorted(cached.graph.edges) == sorted(plain.graph.edges)
    assert {k: str(v) for k, v in cached.paths.items()} == {k: str(v) for k, v in plain.paths.items()}
