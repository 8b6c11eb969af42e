"""DocumentSession without a window: each session's own recovery copy, the on-disk stamp."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from osom_desktop.model.service import ServiceDocument
from osom_desktop.session.disk_stamp import DiskStamp
from osom_desktop.session.document_session import DocumentSession
from osom_desktop.session.recovery import RecoveryStore
from osom_desktop.session.snapshot import take_snapshot
from osom_desktop.storage import open_document, save_document
from tests.storage.generate import large_document, rich_document


def service_file(folder: Path, name: str = "pay.osom", manager: str = "Ana") -> Path:
    doc = ServiceDocument()
    doc.service.name = "Pay"
    doc.service.manager = manager
    path = folder / name
    save_document(doc, path)
    return path


def test_two_sessions_on_one_file_keep_separate_recovery_copies(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    path = service_file(tmp_path)
    a, b = DocumentSession(store), DocumentSession(store)
    a.attach(path)
    b.attach(path, read_only=True)
    doc = open_document(path)
    doc.contract.purpose = "typed in A"
    assert a.autosave(lambda: take_snapshot(doc), 1)
    assert not b.autosave(lambda: take_snapshot(doc), 1)  # read-only: nothing to keep
    a.wait()
    assert a.recovery_key != b.recovery_key
    b.close()  # the read-only second window closes...
    b.wait()
    assert store.exists(a.recovery_key)  # ... and A's copy is still there
    c = DocumentSession(store)
    c.attach(path)
    c.save(open_document(path), path)  # a third saves the same file
    c.close()
    c.wait()
    assert store.exists(a.recovery_key)
    a.discard_recovery()
    a.wait()
    assert not store.exists(a.recovery_key)


def test_snapshot_rebuilds_the_document_as_it_was(tmp_path: Path) -> None:
    doc = rich_document()
    snap = take_snapshot(doc, {"contract": {"purpose": "half typed"}})
    # Edits after the snapshot (in place, as the Document makes them) do not leak in.
    doc.map.components[0].visibility = 0.01
    doc.map.layout.append("later")
    built = snap.build()
    assert built.map.components[0].visibility != 0.01 and "later" not in built.map.layout
    assert built.contract.purpose == "half typed"
    built.contract = doc.contract
    doc.map.components[0].visibility = built.map.components[0].visibility
    doc.map.layout.pop()
    assert built == doc


def test_recovery_copy_of_a_large_document_opens_equal(tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "recovery")
    doc = large_document(300)
    s = DocumentSession(store)
    s.autosave(lambda: take_snapshot(doc), 1)
    s.wait()
    (meta,) = (tmp_path / "recovery").glob("*.json")
    recovered = open_document(meta.with_suffix(".osom"))
    recovered.revisions.pop()  # the autosave
    assert recovered == doc


def test_same_size_copy_keeping_the_time_is_noticed(tmp_path: Path) -> None:
    path = service_file(tmp_path, manager="Ana")
    (tmp_path / "elsewhere").mkdir()
    other = service_file(tmp_path / "elsewhere", manager="Bob")
    assert path.stat().st_size == other.stat().st_size
    session = DocumentSession(RecoveryStore(tmp_path / "recovery"))
    session.attach(path)
    before = DiskStamp.of(path)
    shutil.copy2(other, path)  # cp -p: written in place, same size, the times of...
    os.utime(path, ns=(before.mtime_ns, before.mtime_ns))
    # ... a copy made the same second as ours: the mtime is exactly as it was
    assert path.stat().st_size == before.size and path.stat().st_mtime_ns == before.mtime_ns
    assert session.changed_on_disk()


def test_incremental_snapshots_follow_every_kind_of_edit() -> None:
    from osom_desktop.model.document import Document
    from osom_desktop.model.wardley import Component, Link
    from osom_desktop.session.snapshot import SnapshotCache

    doc = Document(large_document(200))
    cache = SnapshotCache()
    doc.changed.connect(cache.note)

    def same() -> None:
        built = cache.take(doc.data).build()
        assert built == doc.data

    same()
    c0, c1 = doc.map.components[3], doc.map.components[7]
    doc.move_components({c0.id: (0.11, 0.22), c1.id: (0.33, 0.44)})
    same()
    doc.update_element(c0.id, name="Renamed", market=True)
    same()
    doc.add_element(Component(id="new-c", name="Brand new", visibility=0.5, evolution=0.5))
    doc.add_element(Link(id="new-l", source="new-c", target=c1.id))
    same()
    removed = doc.remove_elements([c1.id])  # takes its links along
    same()
    doc.move_components({c0.id: (0.9, 0.9)})
    doc.restore(removed)  # undo the removal, with no snapshot between
    same()
    doc.update_service(name="Another name")
    same()


def test_copies_are_written_by_the_autosave_process_for_this_one_and_survive_it_dying(tmp_path: Path) -> None:
    import json
    import signal

    from osom_desktop.session.autosave import RecoveryWriter

    writer = RecoveryWriter()
    store = RecoveryStore(tmp_path / "recovery")
    session = DocumentSession(store, writer)
    doc = large_document(50)
    doc.contract.purpose = "first"
    session.autosave(lambda: take_snapshot(doc), 1)
    session.wait()
    child = writer._child._proc
    assert child is not None and child.pid != os.getpid()
    meta = json.loads((tmp_path / "recovery" / f"{session.recovery_key}.json").read_text())
    assert meta["pid"] == os.getpid()  # owned by the app, not by the process that wrote it
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    doc.contract.purpose = "second"
    errors: list = []
    session.autosave(lambda: take_snapshot(doc), 2, errors.append)
    session.wait()
    assert errors == [None]  # a new autosave process took over
    assert open_document(tmp_path / "recovery" / f"{session.recovery_key}.osom").contract.purpose == "second"
    writer._child.stop()


def test_a_change_that_escaped_the_signal_reaches_the_copy_within_a_sweep() -> None:
    from osom_desktop.session.snapshot import SnapshotCache

    doc = large_document(120)
    cache = SnapshotCache()
    cache.take(doc)
    doc.map.components[100].name = "Changed behind the Document's back"
    doc.map.links[5].context = "so was this"
    built = [cache.take(doc).build() for _ in range(SnapshotCache.SWEEP_IN)]
    assert built[-1] == doc


def test_a_recovered_map_keeps_the_numbers_as_the_person_wrote_them(tmp_path: Path) -> None:
    """Issue 14: restoring unsaved work rewrote ``[0.30, 0.70]`` as ``[0.3, 0.7]``."""
    from osom_desktop.owm import parse_owm, write_owm

    text = "size [800, 600]\ncomponent Tea [0.30, 0.70]\ncomponent Cup [0.50, 0.20] label [5.0, -10]\nTea->Cup\n"
    doc = ServiceDocument()
    doc.map = parse_owm(text).map
    store = RecoveryStore(tmp_path / "recovery")
    s = DocumentSession(store)
    s.autosave(lambda: take_snapshot(doc), 1)
    s.wait()
    (meta,) = (tmp_path / "recovery").glob("*.json")
    assert write_owm(open_document(meta.with_suffix(".osom")).map) == text
