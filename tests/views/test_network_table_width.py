"""The Services table's first column fits every service's name: it was sized on the
first 60 rows, which sorted by name are the shortest ("Service 1" … "Service 59"), so at
200 services every "Service 165" was shown as "Serv… 165" (screenshot at 1280x800)."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.services import TODAY, document, saved


def test_every_service_name_fits_its_column(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    for i in range(80):  # the longest names sort last
        saved(document(f"Service {i}" if i < 79 else "Service 79 with the longest name", sid=f"s{i}"), folder)
    w = NetworkWindow(folder, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.result is not None and not w.is_loading(), timeout=30000)
    table = w.table
    metrics = table.fontMetrics()
    widths = [metrics.horizontalAdvance(table.item(r, 0).text()) for r in range(table.rowCount())]
    assert table.rowCount() == 80
    assert table.columnWidth(0) > max(widths)
