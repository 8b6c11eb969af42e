"""A shared folder holding hostile entries next to good services (see ``hostile_folder``).

Before folder reads were bounded and isolated, one such entry sank the whole folder: the
FIFO hung ``osom check`` of every other file, the nested JSON raised RecursionError out
of the scan, ``/dev/zero`` was read without end. Now every good file is still checked,
packed and in the network, and each hostile entry is named with its reason, quickly.
Everything here runs in bounded time: the CLI in real subprocesses with a timeout, the
in-process scans in a thread that must finish.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.network import load_network
from tests.analysis.hostile_folder import GOOD, HOSTILE, HostileFolder, build

T = TypeVar("T")
TIMEOUT = 60  # seconds; each call below takes about one


@pytest.fixture
def hostile(tmp_path: Path) -> HostileFolder:
    return build(tmp_path)


def bounded(fn: Callable[[], T], seconds: float = TIMEOUT) -> T:
    """``fn()`` in a thread; fails (instead of hanging the suite) if it does not end in time."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        pytest.fail(f"still running after {seconds} s (blocked on a FIFO, or reading without end?)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def osom(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"osom {' '.join(map(str, args))} still running after {TIMEOUT} s")


def assert_reasons(unreadable: list[tuple[Path, str]], folder: Path) -> None:
    """Exactly the hostile entries, each with one line naming it and why."""
    reasons = {Path(p).name: r for p, r in unreadable}
    assert set(reasons) == set(HOSTILE), reasons
    for name, (word, _) in HOSTILE.items():
        assert reasons[name].startswith(f"{name}: ") and word in reasons[name], reasons[name]
        assert "\n" not in reasons[name]


def test_folder_scan_lists_good_services_and_names_each_hostile_entry(hostile: HostileFolder) -> None:
    directory = bounded(lambda: ServiceDirectory.scan(hostile.folder))
    assert {s.name for s in directory.services} == set(GOOD)
    assert_reasons(directory.unreadable, hostile.folder)
    # Again, from the summary cache: the same answer (reasons are remembered too).
    again = bounded(lambda: ServiceDirectory.scan(hostile.folder))
    assert [(s.service_id, s.path) for s in again.services] == [(s.service_id, s.path) for s in directory.services]
    assert sorted(again.unreadable) == sorted(directory.unreadable)


def test_network_loads_good_services_and_names_each_hostile_entry(hostile: HostileFolder) -> None:
    net = bounded(lambda: load_network(hostile.folder))
    assert {net.name(sid) for sid in net.services()} == set(GOOD)
    assert_reasons(net.unreadable, hostile.folder)


def test_osom_check_and_pack_every_good_file_beside_hostile_ones(hostile: HostileFolder, tmp_path: Path) -> None:
    for name, path in hostile.good.items():
        done = osom("check", path)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
        pack = tmp_path / f"{GOOD[name]}.html"
        done = osom("pack", path, "-o", pack)
        assert done.returncode == 0, done.stderr
        assert name in pack.read_text(encoding="utf-8")
    # The neighbours were read despite the hostile entries: Apply Online (live) rests on
    # Payments (alpha), which only a check that read Payments' file can say.
    done = osom("check", hostile.good["Apply Online"])
    assert "depends on 'Payments', which is still in alpha" in done.stdout
    # Memory stayed bounded (/dev/zero was once read until 20 GB).
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 600 * 1024  # KiB


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_osom_check_of_a_hostile_file_is_one_line(hostile: HostileFolder, name: str) -> None:
    done = osom("check", hostile.hostile[name])
    word = HOSTILE[name][1]
    if word is None:
        # Named explicitly, a link to a good file elsewhere is that file: it is checked.
        assert done.returncode in (0, 1), done.stderr
        return
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"osom: {name}: ") and word in lines[0], done.stderr


def test_osom_network_lists_each_hostile_entry(hostile: HostileFolder, tmp_path: Path) -> None:
    out = tmp_path / "network.json"
    done = osom("network", hostile.folder, "--format", "json", "-o", out)
    assert done.returncode == 0, done.stderr
    import json

    report = json.loads(out.read_text(encoding="utf-8"))
    assert {s["name"] for s in report["services"]} == set(GOOD)
    assert {Path(u["path"]).name for u in report["unreadable"]} == set(HOSTILE)
