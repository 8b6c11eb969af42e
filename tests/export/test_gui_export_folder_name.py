"""The app's File > Export refuses a name spelled as a folder (``nosuchdir/``) as
``osom -o nosuchdir/`` does: ``Path`` drops the slash, so it wrote a file named
``nosuchdir`` (the pack: ``nosuchdir.html``). The real main window and menu actions;
only the save dialog's answer is given, as the text a person would type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.export.test_gui_export_streams import boxes, choose, window  # noqa: F401 - fixtures


@pytest.mark.parametrize(("action", "prefix"), [("act_export_svg", "Not exported"),
                                                ("act_export_pack", "Pack not exported")])
def test_a_name_spelled_as_a_folder_is_refused_in_the_dialog(window, boxes, monkeypatch, tmp_path: Path,
                                                             action: str, prefix: str) -> None:
    """'nosuchdir/' typed in the save dialog: the export wrote a file named 'nosuchdir'
    (or 'nosuchdir.html'); now refused as ``osom -o nosuchdir/`` is."""
    before = written(tmp_path)
    choose(monkeypatch, f"{tmp_path}/nosuchdir/")
    getattr(window, action).trigger()
    assert boxes == [f"{prefix} — nosuchdir/: names a folder, not a file; nothing written"]
    assert written(tmp_path) == before


def written(folder: Path) -> list[str]:
    """What is in the folder, but the window's own settings (the fixture keeps them here;
    Open Recent is written there just after the first paint, whenever that lands)."""
    return sorted(name for name in os.listdir(folder) if name != "settings")
