"""Network > Export Executive Pack…: the window writes the folder's pack."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved


def test_export_executive_pack_from_the_window(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    folder.mkdir()
    for d in (document("Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
                       deps=[dependency("Payments", "svc-pay")]),
              document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA, stage=EvolutionStage.COMMODITY)):
        saved(d, folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    assert "Export Executive Pack…" in [a.text().replace("&", "") for a in w.menuBar().actions()[0].menu().actions()]
    qtbot.waitUntil(lambda: w.result is not None, timeout=15000)
    out = w.export_pack(tmp_path / "pack.html")
    assert out is not None and out.exists()
    html = out.read_text(encoding="utf-8")
    assert "Apply Online" in html and "Payments" in html and "executive pack" in html
    assert w.export_pack(tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
