"""The windows on a shared folder holding hostile entries next to good services.

Before: the FIFO named ``x.osom`` hung the main window before it ever painted (the
folder was scanned on the GUI thread), and the nested JSON's RecursionError blanked the
network window. Now the network window shows every good service and lists each hostile
entry with its reason; the main window paints at once, offers the good services as
providers, and knows why each other entry was left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from osom_desktop.views.main_window import MainWindow
from osom_desktop.views.network_window import NetworkWindow
from tests.analysis.hostile_folder import GOOD, HOSTILE, HostileFolder, build
from tests.analysis.services import TODAY


@pytest.fixture
def hostile(tmp_path: Path) -> HostileFolder:
    return build(tmp_path)


def test_network_window_shows_good_services_and_lists_each_hostile_entry(qtbot, hostile: HostileFolder) -> None:
    w = NetworkWindow(hostile.folder, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.result is not None, timeout=30000)
    ids = {w.service_id_at(r) for r in range(w.table.rowCount())}
    assert ids == set(GOOD.values())
    listed = [w.unreadable.item(i).text() for i in range(w.unreadable.count())]
    assert len(listed) == len(HOSTILE)
    for name, (word, _) in HOSTILE.items():
        assert any(text.startswith(f"{name}: ") and word in text for text in listed), (name, listed)


def test_main_window_paints_and_offers_good_neighbours_as_providers(qtbot, hostile: HostileFolder) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_path(hostile.good["Apply Online"])
    w.show()
    qtbot.waitExposed(w)  # painted: the folder is read in a thread, not before this
    qtbot.waitUntil(lambda: len(w.directory.services) == len(GOOD), timeout=30000)
    combo = w.inspector.provider
    offered = {combo.itemText(i) for i in range(combo.count())}
    assert {"Payments", "Identity"} <= offered
    reasons = {Path(p).name: r for p, r in w.directory.unreadable}
    assert set(reasons) == set(HOSTILE)
    # The findings use the neighbours read in the thread: Payments is still in alpha.
    qtbot.waitUntil(lambda: any("still in alpha" in f.message for f in w.findings.findings), timeout=10000)
    w.stack.setClean()
    w.close()


@pytest.mark.parametrize("name", ["x.osom", "y.osom", "nested.osom", "huge.osom"])
def test_opening_a_hostile_file_is_a_one_line_error(qtbot, hostile: HostileFolder, name: str) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    shown: list[str] = []
    w.show_error = lambda message, dialog=False: shown.append(message)  # type: ignore[method-assign]
    assert not w.open_path(hostile.hostile[name])
    assert len(shown) == 1 and shown[0].startswith(f"{name}: ") and "\n" not in shown[0]
    assert HOSTILE[name][1] in shown[0]
