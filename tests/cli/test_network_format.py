"""``osom network FOLDER -o x.pdf`` takes the form from the output's name, as ``osom pack``
does; it was refused with "--format is required" (found by tester T3). Real processes,
a real folder of service files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import one_line_error, osom
from tests.export.test_network_pack import _folder


def test_the_form_follows_the_output_name(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    as_json, as_html = tmp_path / "net.json", tmp_path / "net.HTML"

    assert osom("network", folder, "-o", as_json).returncode in (0, 1)
    assert osom("network", folder, "-o", as_html).returncode in (0, 1)

    assert json.loads(as_json.read_text(encoding="utf-8"))["services"]
    assert as_html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_a_name_that_says_no_form_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    for output in ("net.txt", "-"):
        run = osom("network", folder, "-o", tmp_path / output if output != "-" else output)
        assert run.returncode == 2
        assert "give --format (json, html, pdf, backstage)" in one_line_error(run)
    assert not (tmp_path / "net.txt").exists()
