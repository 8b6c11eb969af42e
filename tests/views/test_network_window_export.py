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
