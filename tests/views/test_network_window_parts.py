"""The network window's parts that live in modules of their own (the filters, the
findings tree, the export's questions) still work as one window: the finding and
manager filters narrow the table and keep their choice over a reload, and a read-only
pack is replaced only when the person says so. Real files, real widgets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from osom_desktop.views.network_window import NetworkWindow
from tests.views.test_network_explore import chain, loaded


def shown_names(w: NetworkWindow) -> set[str]:
    return {w.table.item(r, 0).text() for r in range(w.table.rowCount()) if not w.table.isRowHidden(r)}


def test_finding_and_manager_filters_narrow_the_table_and_survive_a_reload(qtbot, tmp_path: Path) -> None:
    chain(tmp_path)
    w = loaded(qtbot, tmp_path)
    everyone = {"Portal", "Payments", "Print", "Benefits", "Hosting", "Backup", "Library"}
    assert shown_names(w) == everyone
    assert w.kind_filter.itemText(0) == "(all)" and w.kind_filter.findText("Dependency cycles") > 0

    w.kind_filter.setCurrentText("Dependency cycles")
    assert shown_names(w) == {"Hosting", "Backup"}
    w.manager_filter.setCurrentText("Hosting lead")  # both filters at once: what both leave
    assert shown_names(w) == {"Hosting"}
    w.kind_filter.setCurrentText("(all)")
    w.manager_filter.setCurrentText("Library lead")
    assert shown_names(w) == {"Library"}

    w.reload()  # a new answer keeps the choice it still offers
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading() and not w.scene.drawing, timeout=20000)
    assert w.manager_filter.currentText() == "Library lead"
    assert shown_names(w) == {"Library"}
    w.manager_filter.setCurrentText("(all)")
    assert shown_names(w) == everyone


def test_exporting_the_pack_over_a_read_only_file_asks_first(qtbot, tmp_path: Path, answer_dialog) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    chain(folder)
    w = loaded(qtbot, folder)
    out = tmp_path / "pack.html"
    out.write_text("the old pack", encoding="utf-8")
    os.chmod(out, 0o444)  # someone protected it

    seen = answer_dialog("Cancel")
    assert w.export_pack(out) is None
    assert seen and "pack.html is read-only" in seen[0]
    assert out.read_text(encoding="utf-8") == "the old pack"

    seen = answer_dialog("Yes")
    job = w.export_pack(out)
    assert job is not None and len(seen) == 2
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    assert "Library" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o444  # replaced, and still protected


def test_a_name_without_a_pack_suffix_is_written_as_html(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    chain(folder)
    w = loaded(qtbot, folder)
    job = w.export_pack(tmp_path / "board-pack")
    with qtbot.waitSignal(job.finished, timeout=120000):
        pass
    assert (tmp_path / "board-pack.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert not (tmp_path / "board-pack").exists()
