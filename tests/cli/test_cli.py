"""``osom`` as a person runs it: a real process, real files, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.owm import parse_owm
from osom_desktop.storage import open_document
from tests.conftest import OWM_FIXTURES

TEA = OWM_FIXTURES[0].parent / "damonsk__onlinewardleymaps__ExampleMap_TeaShop.owm"
THIRD_PARTY = OWM_FIXTURES[0].parent / "owulveryck__wardleyToGo__examples_parser_sample.owm"


def osom(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )


def one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_import_then_export_owm_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "tea.osom"
    run = osom("import", TEA, "-o", out)
    assert run.returncode == 0, run.stderr
    assert open_document(out).service.name == "Tea Shop"
    exported = osom("export", out, "--format", "owm", "-o", "-")
    assert exported.returncode == 0
    assert parse_owm(exported.stdout).map == parse_owm(TEA.read_text()).map


def test_import_reports_diagnostics_on_stderr_and_keeps_lines(tmp_path: Path) -> None:
    out = tmp_path / "third.osom"
    run = osom("import", THIRD_PARTY, "-o", out)
    assert run.returncode == 0
    diag = [ln for ln in run.stderr.splitlines() if ln.startswith(str(THIRD_PARTY) + ":")]
    assert any(":31: " in ln and "streamAlignedTeam" in ln for ln in diag), run.stderr
    owm = osom("export", out, "--format", "owm", "-o", "-").stdout
    assert "streamAlignedTeam stream aligned A [0.84, 0.18, 0.76, 0.95]" in owm


def test_import_refuses_to_overwrite_a_service_file(tmp_path: Path) -> None:
    out = tmp_path / "tea.osom"
    assert osom("import", TEA, "-o", out).returncode == 0
    before = out.read_bytes()
    run = osom("import", THIRD_PARTY, "-o", out)
    assert run.returncode == 2 and "--force" in one_line_error(run)
    assert out.read_bytes() == before


def test_export_json_is_the_model_dump(tmp_path: Path) -> None:
    out = tmp_path / "tea.osom"
    osom("import", TEA, "-o", out)
    target = tmp_path / "tea.json"
    assert osom("export", out, "-f", "json", "-o", target).returncode == 0
    data = json.loads(target.read_text())
    assert data["service"]["name"] == "Tea Shop"
    assert {c["name"] for c in data["map"]["components"]} >= {"Cup of Tea", "Kettle", "Power"}


def test_check_exit_codes(tmp_path: Path) -> None:
    sound = tmp_path / "tea.osom"
    osom("import", TEA, "-o", sound)
    # An imported map's contract is still empty: that is its one finding (tests/analysis/test_contract_complete.py).
    told = osom("check", sound)
    assert told.returncode == 1 and "none of the contract's 9 required parts" in told.stdout, told.stdout
    assert osom("check", TEA).returncode == 0  # the OWM text alone holds no contract to fill in
    problems = osom("check", THIRD_PARTY)
    assert problems.returncode == 1 and "streamAlignedTeam" in problems.stdout
    text = tmp_path / "notes.osom"
    text.write_text("just some notes\n")
    unreadable = osom("check", text)
    assert unreadable.returncode == 2
    assert "notes.osom" in one_line_error(unreadable)
    missing = osom("check", tmp_path / "nope.osom")
    assert missing.returncode == 2 and "nope.osom" in one_line_error(missing)


def test_info_summarises(tmp_path: Path) -> None:
    out = tmp_path / "tea.osom"
    osom("import", TEA, "-o", out, "--manager", "Ana")
    run = osom("info", out)
    assert run.returncode == 0
    assert "Tea Shop — managed by Ana" in run.stdout
    assert "7 components, 2 anchors" in run.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("export", "x.osom"),  # no --format
        ("export", "x.osom", "--format", "docx", "-o", "-"),
    ],
)
def test_misuse_is_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    run = osom(*args)
    assert run.returncode == 2
    assert one_line_error(run).startswith("osom: ")


def test_binary_owm_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "map.owm"
    bad.write_bytes(b"title x\n\xff\xfe component\n")
    run = osom("import", bad, "-o", tmp_path / "x.osom")
    assert run.returncode == 2
    assert "map.owm:2: not UTF-8" in one_line_error(run)
    assert not (tmp_path / "x.osom").exists()


def test_file_edited_by_another_program_needs_trust_edits(tmp_path: Path) -> None:
    import sqlite3

    out = tmp_path / "tea.osom"
    osom("import", TEA, "-o", out)
    with sqlite3.connect(out) as conn:
        conn.execute("UPDATE service SET manager = 'Edited in Datasette'")
    conn.close()
    refused = osom("info", out)
    line = one_line_error(refused)
    assert refused.returncode == 2 and "fingerprint" in line and line.endswith("pass --trust-edits)")
    trusted = osom("info", out, "--trust-edits")
    assert trusted.returncode == 0 and "Edited in Datasette" in trusted.stdout


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_export_images_with_no_display(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "tea.osom"
    osom("import", TEA, "-o", out)
    image = tmp_path / f"tea.{fmt}"
    run = osom("export", out, "--format", fmt, "-o", image)  # DISPLAY and QT_QPA_PLATFORM unset
    assert run.returncode == 0, run.stderr
    data = image.read_bytes()
    if fmt == "svg":
        text = data.decode()
        for name in ("Cup of Tea", "Hot Water", "Kettle", "Power", "Business", "Public"):
            assert name in text
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
