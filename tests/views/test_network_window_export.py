"""Network > Export Executive Pack…: written by a child process with progress; the window
stays responsive and Cancel leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved


def _window(qtbot, tmp_path: Path) -> NetworkWindow:
    folder = tmp_path / "estate"
    folder.mkdir()
    for d in (document("Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
                       deps=[dependency("Payments", "svc-pay")]),
              document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA, stage=EvolutionStage.COMMODITY)):
        saved(d, folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.result is not None, timeout=15000)
    return w


def test_export_executive_pack_from_the_window(qtbot, tmp_path: Path) -> None:
    w = _window(qtbot, tmp_path)
    assert "Export Executive Pack…" in [a.text().replace("&", "") for a in w.menuBar().actions()[0].menu().actions()]
    for name in ("pack.html", "pack.pdf"):
        job = w.export_pack(tmp_path / name)
        assert job is not None and job.is_running()  # returned at once: the window is not held
        with qtbot.waitSignal(job.finished, timeout=120000):
            pass
        assert f"Executive pack written to {tmp_path / name}" in w.status.text()
    html = (tmp_path / "pack.html").read_text(encoding="utf-8")
    assert "Apply Online" in html and "Payments" in html and "executive pack" in html
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")


def test_cancelled_export_writes_nothing(qtbot, tmp_path: Path) -> None:
    w = _window(qtbot, tmp_path)
    job = w.export_pack(tmp_path / "pack.pdf")
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        w.cancel()
    assert "Export cancelled" in w.status.text()
    assert not (tmp_path / "pack.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _processes_writing(out: Path) -> list[int]:
    """Processes (the job and the workers it forked) whose command line names ``out``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(out).encode() in (proc / "cmdline").read_bytes():
                state = next(line for line in (proc / "status").read_text().splitlines() if line.startswith("State:"))
                if "zombie" not in state:
                    found.append(int(proc.name))
        except (OSError, StopIteration):
            continue
    return found


def test_cancel_while_parts_are_laid_out_in_workers_leaves_no_process(qtbot, tmp_path: Path) -> None:
    """A large folder's PDF is laid out by worker processes; Cancel ends them all, at once."""
    import os
    import sys

    import pytest

    if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("parts are laid out in worker processes on Linux with 2+ cores")
    folder = tmp_path / "estate"
    for i in range(130):  # four parts of services and the governance part: workers start
        saved(document(f"Service {i:03d}", sid=f"svc-{i}", lifecycle=LifecycleStage.LIVE,
                       deps=[dependency(f"Service {j:03d}", f"svc-{j}") for j in (2 * i + 1, 2 * i + 2) if j < 130]),
              folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.result is not None, timeout=30000)
    out = tmp_path / "pack.pdf"
    job = w.export_pack(out)
    qtbot.waitUntil(lambda: "Laying out" in w.progress.format() and len(_processes_writing(out)) >= 2, timeout=60000)
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        w.cancel()
    # "At once" is the cancel's own promise (it kills, it does not wait for the part); the
    # 20 s only leaves a loaded CI box time to reap them (5 s failed at load 4).
    qtbot.waitUntil(lambda: _processes_writing(out) == [], timeout=20000)
    assert not out.exists()
