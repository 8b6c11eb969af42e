"""Selecting a service in the network window marks what it needs and what it would
take down so they read apart without colour: wider edges, solid against dash-dot,
and the rest dimmed (a real window on real files)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.model.service import LifecycleStage
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, dependency, document, saved


def test_upstream_and_downstream_differ_without_colour(qtbot, tmp_path: Path) -> None:
    # Web -> Payments -> Ledger; Other stands apart.
    saved(document("Web", sid="svc-web", deps=[dependency("Payments", "svc-pay")]), tmp_path)
    saved(document("Payments", sid="svc-pay", lifecycle=LifecycleStage.LIVE, deps=[dependency("Ledger", "svc-led")]), tmp_path)
    saved(document("Ledger", sid="svc-led"), tmp_path)
    saved(document("Other", sid="svc-other"), tmp_path)
    w = NetworkWindow(tmp_path, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None and not w.scene.drawing, timeout=15000)
    row = next(r for r in range(w.table.rowCount()) if w.service_id_at(r) == "svc-pay")
    w.table.selectRow(row)
    edges = {(e.source, e.target): e for e in w.scene.edges}
    up, down = edges[("svc-pay", "svc-led")], edges[("svc-web", "svc-pay")]
    for e in (up, down):
        assert e.pen().widthF() >= 2.5 and e.pen().isCosmetic()  # not a hairline
    assert up.pen().style() == Qt.PenStyle.SolidLine
    assert down.pen().style() != Qt.PenStyle.SolidLine
    nodes = w.scene.nodes
    assert nodes["svc-led"].pen().style() == Qt.PenStyle.SolidLine
    assert nodes["svc-web"].pen().style() != Qt.PenStyle.SolidLine
    assert nodes["svc-pay"].pen().widthF() > nodes["svc-led"].pen().widthF() > 1.2  # selected boldest
    assert nodes["svc-other"].opacity() < 0.5 and nodes["svc-pay"].opacity() == 1.0  # the rest dimmed
    # Selection cleared: every edge is a hairline again (wide pens cost a repaint at 2,000 services).
    w.table.clearSelection()
    w.scene.highlight(())
    assert all(e.pen().widthF() == 0 for e in w.scene.edges)
