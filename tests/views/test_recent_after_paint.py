"""A file opened is added to File > Open Recent once its map has been drawn, not before
(the settings file is replaced and synced to disk: 8-25 ms of the start, issue 14), and
still when the window closes before it was ever drawn. Real windows, real files."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.model import ServiceDocument
from osom_desktop.storage import save_document
from osom_desktop.views.main_window import MainWindow, recent_files


def _service(folder: Path, name: str) -> Path:
    doc = ServiceDocument()
    doc.service.name = name
    path = folder / f"{name.lower()}.osom"
    save_document(doc, path)
    return path


def test_an_opened_file_is_a_recent_file_after_the_map_is_drawn(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    kettle = _service(tmp_path, "Kettle")
    assert w.open_path(kettle)
    assert recent_files() == []  # not before the first paint
    w.show()
    qtbot.waitUntil(lambda: recent_files() == [kettle.resolve()], timeout=5000)
    w.close()


def test_files_opened_in_a_window_never_drawn_are_recent_files(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    kettle, toaster = _service(tmp_path, "Kettle"), _service(tmp_path, "Toaster")
    assert w.open_path(kettle)
    assert w.open_path(toaster)  # the first is not forgotten
    w.close()
    assert recent_files() == [toaster.resolve(), kettle.resolve()]
