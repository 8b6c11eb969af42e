"""While the network loader reads and answers a folder, the GUI thread gets the GIL
every millisecond, not Python's usual five: at 2,000 services a refresh made the window's
event loop wait 25 ms at the median and 64 ms at worst (bench_network_gui.py), since a
waiting thread gets the GIL only at the holder's next switch. Back to the usual after."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from osom_desktop.views.network_loader import LOADING_SWITCH_INTERVAL, NetworkLoader
from tests.analysis.services import TODAY, dependency, document, saved


def test_the_loader_hands_the_gil_over_often_and_restores_the_interval(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    for i in range(6):
        saved(document(f"Service {i}", sid=f"s{i}", deps=[dependency(f"Service {(i + 1) % 6}")]), folder)
    usual = sys.getswitchinterval()
    assert usual > LOADING_SWITCH_INTERVAL
    seen: list[float] = []
    loader = NetworkLoader(folder, today=TODAY)
    # Run in the loader's own thread, while it reads: what the interval is then.
    loader.progressed.connect(lambda *_: seen.append(sys.getswitchinterval()), Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(loader.loaded, timeout=30000):
        loader.start()
    loader.wait(10000)
    assert seen and all(s == LOADING_SWITCH_INTERVAL for s in seen)
    assert sys.getswitchinterval() == usual
