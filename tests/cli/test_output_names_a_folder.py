"""``-o nosuchdir/``: a target ending in a separator names a folder. ``Path``/``abspath``
drop the slash, so ``osom export n.osom --format svg -o nosuchdir/`` exited 0 having
written an SVG file named ``nosuchdir``. Every command with ``-o`` now refuses it in one
line, exit 2, and writes nothing. Real processes, real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document
from tests.export.real_files import one_line_error, osom

OWM = Path(__file__).parents[1] / "fixtures" / "owm" / "damonsk__onlinewardleymaps__ExampleMap_TeaShop.owm"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    save_document(sample_document(), tmp_path / "n.osom")
    (tmp_path / "net").mkdir()
    save_document(sample_document(), tmp_path / "net" / "n.osom")
    shutil.copy(OWM, tmp_path / "map.owm")
    return tmp_path


@pytest.mark.parametrize("args", [
    ["export", "n.osom", "--format", "svg"],
    ["export", "n.osom", "--format", "owm"],
    ["pack", "n.osom"],
    ["import", "map.owm"],
    ["network", "net", "--format", "json"],
])
@pytest.mark.parametrize("target", ["nosuchdir/", "nosuchdir/."])
def test_a_target_spelled_as_a_folder_is_refused(work: Path, args: list[str], target: str) -> None:
    before = sorted(os.listdir(work))
    run = osom(*args, "-o", target, cwd=work)
    assert run.returncode == 2, run.stderr
    assert one_line_error(run) == f"osom: {target}: names a folder, not a file; nothing written"
    assert sorted(os.listdir(work)) == before


def test_an_existing_file_with_a_slash_is_not_replaced(work: Path) -> None:
    """``n.svg/`` where n.svg is a file: the slash still says folder; the file is kept."""
    (work / "n.svg").write_text("mine")
    run = osom("export", "n.osom", "--format", "svg", "-o", "n.svg/", cwd=work)
    assert run.returncode == 2
    assert one_line_error(run) == "osom: n.svg/: names a folder, not a file; nothing written"
    assert (work / "n.svg").read_text() == "mine"


def test_the_writer_itself_refuses(tmp_path: Path) -> None:
    from osom_desktop.storage.atomic import NotAFileError, atomic_write_bytes

    with pytest.raises(NotAFileError) as caught:
        atomic_write_bytes(f"{tmp_path}/nosuchdir/", b"x")
    assert str(caught.value) == "nosuchdir/: names a folder, not a file; nothing written"
    assert os.listdir(tmp_path) == []
