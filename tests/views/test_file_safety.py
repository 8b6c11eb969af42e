"""Issue 11 in the app: a read-only file is not replaced without asking; every export
failure is shown in a dialog (it used to do nothing at all, silently); a service full
of control characters exports its pack."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from osom_desktop.storage import open_document
from osom_desktop.views.main_window import MainWindow
from tests.export.real_files import save_control_document
from tests.views.test_main_window import discard_changes, tea_file


@pytest.fixture
def window(qtbot, tmp_path: Path):
    w = MainWindow()
    assert w.open_path(tea_file(tmp_path))
    w.show()
    qtbot.waitExposed(w)
    yield w
    discard_changes(w)
    w.close()
    w.deleteLater()


def test_saving_over_a_read_only_file_asks(qtbot, tmp_path: Path, answer_dialog) -> None:
    path = tea_file(tmp_path)
    os.chmod(path, 0o444)  # someone protected it
    window = MainWindow()
    request_close = lambda: (discard_changes(window), window.close(), window.deleteLater())  # noqa: E731
    assert window.open_path(path)
    window.show()
    qtbot.waitExposed(window)
    window.view.add_component_at(0.2, 0.2)
    before = path.read_bytes()

    seen = answer_dialog("Cancel")
    assert not window.save()
    assert seen and "tea.osom is read-only" in seen[0]
    assert path.read_bytes() == before
    assert window.isWindowModified()

    seen = answer_dialog("Yes")
    assert window.save()
    assert len(seen) == 2 and "read-only" in seen[-1]
    assert len(open_document(path).map.components) == 6
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444  # replaced, and still protected
    request_close()


def test_export_failures_are_shown_in_a_dialog(qtbot, window: MainWindow, tmp_path: Path, answer_dialog) -> None:
    for path, export in [
        (tmp_path / "missing" / "pack.html", lambda p: window.export_pack(p)),
        (tmp_path / "missing" / "pack.pdf", lambda p: window.export_pack(p)),
        (tmp_path / "missing" / "map.svg", lambda p: window.export_to(p, "svg")),
        (tmp_path / "missing" / "map.png", lambda p: window.export_to(p, "png")),
        (tmp_path / "missing" / "map.owm", lambda p: window.export_to(p, "owm")),
    ]:
        seen = answer_dialog("OK")
        shown = len(seen)
        assert export(path) is False
        assert len(seen) == shown + 1, "no dialog"
        assert "not exported" in seen[-1].lower() and path.name in seen[-1], seen
        assert "\n" not in seen[-1]


def test_exporting_over_a_read_only_file_asks(qtbot, window: MainWindow, tmp_path: Path, answer_dialog) -> None:
    out = tmp_path / "map.svg"
    out.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    os.chmod(out, 0o444)
    seen = answer_dialog("Cancel")
    assert window.export_to(out, "svg") is False
    assert seen and "map.svg is read-only" in seen[0]
    assert out.read_bytes() == b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    seen = answer_dialog("Yes")
    assert window.export_to(out, "svg") is True
    assert len(seen) == 2
    assert b"Kettle" in out.read_bytes()


def test_pack_of_a_service_with_control_characters_is_exported(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    try:
        assert w.open_path(save_control_document(tmp_path / "notify.osom"))
        for name in ("pack.html", "pack.pdf"):
            assert w.export_pack(tmp_path / name), name
            assert (tmp_path / name).stat().st_size > 1000
    finally:
        discard_changes(w)
        w.close()
        w.deleteLater()


def test_network_window_exports_a_folder_with_control_characters_and_shows_failures(
    qtbot, tmp_path: Path, answer_dialog
) -> None:
    from osom_desktop.views.network_window import NetworkWindow

    folder = tmp_path / "estate"
    folder.mkdir()
    save_control_document(folder / "notify.osom")
    w = NetworkWindow(folder)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.result is not None, timeout=15000)
    for name in ("network.html", "network.pdf"):
        job = w.export_pack(tmp_path / name)  # written by a child process (issue 13)
        assert job is not None, name
        with qtbot.waitSignal(job.finished, timeout=120000):
            pass
        assert (tmp_path / name).stat().st_size > 1000, name
    seen = answer_dialog("OK")
    job = w.export_pack(tmp_path / "missing" / "network.pdf")
    if job is not None:
        with qtbot.waitSignal(job.failed, timeout=120000):
            pass
    assert seen and "Not exported" in seen[-1] and "network.pdf" in seen[-1]
