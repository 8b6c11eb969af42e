"""``osom check`` in a fresh process on files with several assessments and map snapshots.

Assessment rows are validated through the document's validator and the snapshot's
validator is built on first use (issue 11: fewer schemas built a process); a bad value
is still refused with one line naming the table, column and row, and a snapshot is
still read and checked.
"""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

from osom_desktop.model.service import Assessment, AssessmentKind, AssessmentOutcome
from osom_desktop.samples import sample_document
from osom_desktop.storage import open_document, save_document


def osom_check(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A bare environment, and the check in its own process (no check server started: as
    # the whole suite, see conftest).
    env = {"PATH": "/usr/bin:/bin", "OSOM_HOME": str(tmp_path / "home"), "OSOM_CHECK_SERVER": "0"}
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", "check", str(path)], capture_output=True, text=True,
                          timeout=120, env=env)


def with_assessments(tmp_path: Path) -> Path:
    doc = sample_document()
    snapshot = copy.deepcopy(doc.map)
    for n, day in enumerate((dt.date(2024, 3, 1), dt.date(2024, 9, 1)), start=2):
        doc.assessments.append(Assessment(
            id=f"a{n}", date=day, kind=AssessmentKind.PERIODIC, outcome=AssessmentOutcome.MET,
            assessors=["Ann"], map_snapshot=snapshot,
        ))
    path = tmp_path / "svc.osom"
    save_document(doc, path, author="test")
    return path


def test_several_assessments_with_snapshots_are_read_back(tmp_path: Path) -> None:
    path = with_assessments(tmp_path)
    done = osom_check(path, tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    back = open_document(path)
    assert [a.id for a in back.assessments] == ["sample-assessment-1", "a2", "a3"]
    assert back.assessments[2].map_snapshot is not None
    assert [c.name for c in back.assessments[2].map_snapshot.components] == [c.name for c in back.map.components]


def test_a_bad_date_in_the_third_assessment_is_refused_naming_its_row(tmp_path: Path) -> None:
    path = with_assessments(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE assessments SET date = '2024-13-45' WHERE id = 'a3'")
    conn.close()
    done = osom_check(path, tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "bad value in assessments.date (id 'a3')" in lines[0]
    assert "2024-13-45" in lines[0]


def test_a_bad_outcome_of_an_assessment_is_refused_in_one_line(tmp_path: Path) -> None:
    path = with_assessments(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE assessments SET map_revision = 'x' WHERE id = 'a2'")
    conn.close()
    done = osom_check(path, tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "assessments.map_revision" in lines[0]
