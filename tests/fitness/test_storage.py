"""Measure frequency, cost measures and budgets are kept in the .osom file (format 5)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from osom_desktop.model.service import Budget, MeasureDirection, RecordingFrequency
from osom_desktop.storage import SCHEMA_VERSION, open_document, save_document
from tests.conftest import REPO

FORMAT4 = REPO / "tests" / "fixtures" / "osom" / "format4.osom"


def test_a_file_written_by_format_4_opens_and_keeps_its_values(tmp_path: Path) -> None:
    path = tmp_path / "old.osom"
    shutil.copyfile(FORMAT4, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    doc = open_document(path)
    tx, cost = doc.contract.measures
    assert [(v.date, v.value, v.note) for v in tx.values] == [(dt.date(2026, 1, 31), 900.0, ""),
                                                                (dt.date(2026, 2, 28), 1100.0, "Feb")]
    assert tx.frequency is None and not tx.cost and doc.budgets == []
    assert cost.direction is MeasureDirection.LOWER_IS_BETTER
    # Saved by this version, with the new fields set, and read back.
    cost.frequency = RecordingFrequency.MONTHLY
    cost.cost = True
    doc.budgets = [Budget(start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31), amount=120000, unit="GBP",
                          allocated_by="Executive")]
    doc.contract.measures = [tx, cost]
    save_document(doc, path)
    again = open_document(path)
    assert again.contract.measures[1].frequency is RecordingFrequency.MONTHLY and again.contract.measures[1].cost
    assert again.budgets == doc.budgets
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert conn.execute("SELECT amount, unit FROM budgets").fetchall() == [(120000.0, "GBP")]
