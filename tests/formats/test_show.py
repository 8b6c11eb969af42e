"""``osom show``: the whole service, one fact per line, stable, so git diffs read well."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.formats.show import show_text
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document


def test_same_document_same_bytes_whatever_the_list_order() -> None:
    doc = sample_document()
    text = show_text(doc)
    doc.map.components.reverse()
    doc.map.links.reverse()
    doc.contract.dependencies.reverse()
    assert show_text(doc) == text
    assert text.endswith("\n") and text == show_text(sample_document())


def test_one_fact_per_line_keyed_by_what_people_read() -> None:
    doc = sample_document()
    doc.map.notes[0].text = "two\nlines \x1b[2J"
    lines = show_text(doc).splitlines()
    assert 'service.name = "Notifications"' in lines
    kettle = doc.map.components[3]
    assert f"map.components[\"{kettle.name}\"].evolution = {kettle.evolution!r}" in lines
    assert any(line.startswith('map.links["Citizen" -> ') for line in lines)
    assert 'map.notes["two\\nlines \\u001b[2J"].visibility = ' + repr(doc.map.notes[0].visibility) in lines
    assert not any("fingerprint" in line or ".layout" in line for line in lines)
    assert any(line.startswith("decisions[") for line in lines) and any(line.startswith("assessments[") for line in lines)


def test_moving_one_component_changes_one_line() -> None:
    doc = sample_document()
    before = show_text(doc).splitlines()
    doc.map.components[3].evolution = 0.123
    after = show_text(doc).splitlines()
    assert len(before) == len(after)
    assert [(a, b) for a, b in zip(before, after, strict=True) if a != b] == [
        (f'map.components["{doc.map.components[3].name}"].evolution = {before_value(before, doc)}',
         f'map.components["{doc.map.components[3].name}"].evolution = 0.123')]


def before_value(lines: list[str], doc) -> str:  # noqa: ANN001
    prefix = f'map.components["{doc.map.components[3].name}"].evolution = '
    return next(line[len(prefix):] for line in lines if line.startswith(prefix))


def test_cli_show_prints_the_same_text(tmp_path: Path) -> None:
    path = tmp_path / "n.osom"
    save_document(sample_document(), path)
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "show", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == show_text(open_document(path))


def test_cli_show_escapes_what_would_drive_the_terminal(tmp_path: Path) -> None:
    """8-bit CSI (U+009B), DEL and a bidi override pass json.dumps raw; a terminal obeys
    them. They come out as JSON escapes (the same value, nothing for the terminal to do)."""
    doc = sample_document()
    doc.service.name = "Pay\u009b2Jments \u202eetaerc\u007f"
    doc.map.notes[0].text = "isolate \u2066x\u2069"
    path = tmp_path / "hostile.osom"
    save_document(doc, path)
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "show", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert 'service.name = "Pay\\u009b2Jments \\u202eetaerc\\u007f"' in run.stdout.splitlines()
    assert "isolate \\u2066x\\u2069" in run.stdout
    assert not any(ch in run.stdout for ch in "\u009b\u202e\u007f\u2066\u2069")
    assert json.loads(run.stdout.splitlines()[0].split(" = ", 1)[1]) == doc.service.name


def test_show_of_owm_text_is_stable_too() -> None:
    owm = Path(__file__).resolve().parents[2] / "osom_desktop/resources/samples/notifications.owm"
    runs = [subprocess.run([sys.executable, "-m", "osom_desktop.cli", "show", str(owm)], capture_output=True, text=True)
            for _ in range(2)]
    assert runs[0].returncode == 0 and runs[0].stdout == runs[1].stdout
    assert "service.id" not in runs[0].stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to check the textconv set-up")
def test_git_diff_of_an_osom_file_shows_the_changed_fact(tmp_path: Path) -> None:
    """The README's two lines: .gitattributes + textconv; a real repo, a real save."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q")
    (tmp_path / ".gitattributes").write_text("*.osom diff=osom\n")
    # What the README says, with this test's Python standing in for the installed `osom`.
    git("config", "diff.osom.textconv", f"{shlex.quote(sys.executable)} -m osom_desktop.cli show")
    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path, author="Amara", summary="first")
    git("add", ".")
    git("commit", "-q", "-m", "first")

    doc = open_document(path)
    kettle = doc.map.components[3]
    old = kettle.evolution
    kettle.evolution = 0.123
    save_document(doc, path, author="Amara", summary="moved")
    diff = git("diff", "--", "notifications.osom")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert f'-map.components["{kettle.name}"].evolution = {old!r}' in changed
    assert f'+map.components["{kettle.name}"].evolution = 0.123' in changed
    assert "Binary files" not in diff
    # Besides the move, only the new save itself shows.
    assert all(line.startswith("+revisions[2]") for line in changed if "components" not in line), changed
