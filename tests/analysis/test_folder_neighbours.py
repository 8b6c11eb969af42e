"""``FolderNeighbours``: the neighbours of many files of one folder, read once (``osom check *.osom``).

It must give each document what ``ServiceDirectory.around`` gives it, while listing the
folder, loading its summary cache and reading each named neighbour's summary once for
all the documents, and writing the cache back once.
"""

from __future__ import annotations

import os
from pathlib import Path

import osom_desktop.folder as folder_module
import osom_desktop.storage.summary as summary_module
from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.folder import FolderNeighbours
from osom_desktop.storage import open_document
from osom_desktop.storage.summary import SummaryCache
from tests.analysis.services import TODAY
from tests.analysis.test_directory_around import folder_of_services


def test_each_document_gets_what_around_gives_it(tmp_path: Path) -> None:
    paths = folder_of_services(tmp_path)
    (tmp_path / "broken.osom").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)  # named by nobody, unreadable
    os.mkfifo(tmp_path / "pipe.osom")
    neighbours = FolderNeighbours(tmp_path)
    for path in [*paths.values(), *paths.values()]:  # asked twice: answers from what is kept
        doc = open_document(path)
        near, shared = ServiceDirectory.around(doc, tmp_path), neighbours.around(doc)
        assert [(s.service_id, s.path) for s in shared.services] == [(s.service_id, s.path) for s in near.services]
        assert sorted(shared.unreadable) == sorted(near.unreadable)
        assert {p.name for p, _ in shared.unreadable} == {"broken.osom", "pipe.osom"}
        assert check_document(doc, shared, today=TODAY) == check_document(doc, near, today=TODAY)


def test_the_folder_is_read_once_for_all_documents(tmp_path: Path, monkeypatch) -> None:
    paths = folder_of_services(tmp_path)
    docs = [open_document(p) for p in paths.values()]
    reads: list[str] = []
    real_summary, real_identity, real_peek = summary_module.read_summary, summary_module.read_identity, folder_module.peek_identity
    monkeypatch.setattr(summary_module, "read_summary", lambda p: reads.append(f"summary {Path(p).name}") or real_summary(p))
    monkeypatch.setattr(summary_module, "read_identity", lambda p: reads.append(f"identity {Path(p).name}") or real_identity(p))
    monkeypatch.setattr(folder_module, "peek_identity", lambda p, st, cap: reads.append(f"identity {Path(p).name}") or real_peek(p, st, cap))
    saves: list[str] = []
    real_save = SummaryCache.save
    monkeypatch.setattr(SummaryCache, "save", lambda self: saves.append(self.folder) or real_save(self))
    neighbours = FolderNeighbours(tmp_path)
    for doc in docs:
        neighbours.around(doc)
    neighbours.save()
    assert len(reads) == len(set(reads))  # no file read twice
    assert len([r for r in reads if r.startswith("identity")]) == 25  # every file's id and name, once (peeked or read)
    assert saves == [os.path.normcase(os.path.realpath(tmp_path))]  # one cache write, at the end
    # The cache written serves the next run: nothing is read again.
    reads.clear()
    again = FolderNeighbours(tmp_path)
    for doc in docs:
        again.around(doc)
    assert reads == []
