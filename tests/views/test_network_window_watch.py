"""The network window follows the folder on disk: a saved, added or deleted service
file shows up without pressing Reload, re-reading only the files that changed."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.storage import open_document, save_document
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved


def three(folder: Path) -> dict[str, Path]:
    docs = [document("Apply Online", sid="svc-apply", deps=[dependency("Payments", "svc-pay")]),
            document("Payments", sid="svc-pay"), document("Identity", sid="svc-id")]
    return {d.service.id: saved(d, folder) for d in docs}


def open_loaded(qtbot, folder: Path) -> NetworkWindow:
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=15000)
    return w


def table_names(w: NetworkWindow) -> set[str]:
    return {w.table.item(r, 0).text() for r in range(w.table.rowCount())}


def test_renamed_service_on_disk_shows_without_reload(qtbot, tmp_path: Path) -> None:
    paths = three(tmp_path)
    w = open_loaded(qtbot, tmp_path)
    assert table_names(w) == {"Apply Online", "Payments", "Identity"}
    opened = w.cache.opened
    doc = open_document(paths["svc-pay"])
    doc.service.name = "Card Payments"
    save_document(doc, paths["svc-pay"], author="tests")
    qtbot.waitUntil(lambda: "Card Payments" in table_names(w), timeout=10000)
    assert table_names(w) == {"Apply Online", "Card Payments", "Identity"}
    qtbot.waitUntil(lambda: not w.is_loading(), timeout=10000)
    assert w.cache.opened == opened + 1  # only the changed file was read again
    assert w.reload_button.isEnabled()


def test_deleted_file_disappears_and_new_file_appears(qtbot, tmp_path: Path) -> None:
    paths = three(tmp_path)
    w = open_loaded(qtbot, tmp_path)
    paths["svc-id"].unlink()
    qtbot.waitUntil(lambda: "Identity" not in table_names(w), timeout=30000)
    assert table_names(w) == {"Apply Online", "Payments"}
    saved(document("Records", sid="svc-rec"), tmp_path / "team")  # in a new subfolder
    qtbot.waitUntil(lambda: "Records" in table_names(w), timeout=30000)
    # And a later save in that subfolder is seen too (the subfolder is watched now).
    doc = open_document(tmp_path / "team" / "records.osom")
    doc.service.name = "Old Records"
    save_document(doc, tmp_path / "team" / "records.osom", author="tests")
    qtbot.waitUntil(lambda: "Old Records" in table_names(w), timeout=30000)


def test_reading_the_folder_does_not_trigger_a_refresh_itself(qtbot, tmp_path: Path) -> None:
    three(tmp_path)
    w = open_loaded(qtbot, tmp_path)
    first = w.result
    qtbot.wait(1200)  # more than the refresh delay
    assert w.result is first and not w.is_loading() and not w.refresh_timer.isActive()


def test_f5_reload_reads_every_file_again(qtbot, tmp_path: Path) -> None:
    three(tmp_path)
    w = open_loaded(qtbot, tmp_path)
    w.reload()
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=15000)
    assert w.cache.opened == 3  # a fresh cache: all three read
