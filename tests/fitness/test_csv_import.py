"""Measure values from real CSV files, as Excel, LibreOffice and people write them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from osom_desktop.fitness.csv_values import CsvRefused, read_csv
from osom_desktop.model.service import Measure, RecordedValue
from osom_desktop.storage import open_document
from tests.cli.test_cli import osom
from tests.fitness.services import service_file


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "services"
    f.mkdir()
    service_file(f, "Payments", [Measure(name="Transactions", unit="count"), Measure(name="Cost", unit="GBP", cost=True)])
    service_file(f, "Identity", [Measure(name="Cost", unit="GBP",
                                         values=[RecordedValue(date=dt.date(2026, 1, 31), value=100.0)])])
    return f


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.osom"))}


def values(path: Path, measure: str) -> list[tuple[dt.date, float]]:
    m = next(m for m in open_document(path).contract.measures if m.name == measure)
    return [(v.date, v.value) for v in m.values]


def test_excel_european_csv_bom_semicolons_decimal_commas_and_blank_lines(tmp_path: Path, folder: Path) -> None:
    csv = tmp_path / "excel.csv"
    csv.write_bytes("\ufeffService;Date;Measure;Value;Note\r\n"
                    "Payments;31/01/2026;Transactions;1.234,5;January\r\n"
                    "\r\n"
                    "Payments;28.02.2026;Transactions;1200;\r\n"
                    "Payments;31 Mar 2026;Cost;99,5;\r\n"
                    ";;;;\r\n".encode("utf-8"))
    run = osom("measures", "import", csv, "--folder", folder)
    assert run.returncode == 0, run.stderr
    assert values(folder / "Payments.osom", "Transactions") == [(dt.date(2026, 1, 31), 1234.5), (dt.date(2026, 2, 28), 1200.0)]
    assert values(folder / "Payments.osom", "Cost") == [(dt.date(2026, 3, 31), 99.5)]
    assert "3 values recorded in 1 file" in run.stdout


def test_any_bad_row_changes_nothing_and_every_bad_row_is_named(tmp_path: Path, folder: Path) -> None:
    before = digests(folder)
    csv = tmp_path / "bad.csv"
    csv.write_text("service,date,measure,value\n"
                   "Payments,2026-01-31,Transactions,10\n"          # good
                   "Payments,03/04/2026,Transactions,11\n"          # day/month ambiguous
                   "Payments,2026-02-30,Transactions,12\n"          # not on the calendar
                   "Payments,2026-03-31,Uptime,99\n"                # unknown measure
                   "Nobody,2026-03-31,Cost,1\n"                     # unknown service
                   'Payments,2026-03-31,Cost,"1,5"\n'               # decimal comma in a comma file
                   "Identity,2026-01-31,Cost,250\n"                 # conflicts with the recorded 100
                   "Payments,2026-04-30,Transactions,lots\n", encoding="utf-8")
    run = osom("measures", "import", csv, "--folder", folder)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert [re.search(r"row \d+, column \w+", ln)[0] for ln in lines[:-1]] == [
        "row 3, column date", "row 4, column date", "row 5, column measure", "row 6, column service",
        "row 7, column value", "row 8, column value", "row 9, column value"]
    assert "nothing recorded" in lines[-1]
    assert digests(folder) == before


def test_skip_bad_records_the_good_rows_and_skips_values_already_recorded(tmp_path: Path, folder: Path) -> None:
    csv = tmp_path / "mixed.csv"
    csv.write_text("service,date,measure,value\n"
                   "Identity,2026-01-31,Cost,100\n"  # already recorded: skipped, not a problem
                   "Identity,2026-02-28,Cost,120\n"
                   "Identity,2026-02-28,Cost,120\n"  # the same row twice: once
                   "Identity,2026-03-31,Costs,1\n", encoding="utf-8")
    run = osom("measures", "import", csv, "--folder", folder, "--skip-bad")
    assert run.returncode == 1  # something was skipped: a script notices
    assert values(folder / "Identity.osom", "Cost") == [(dt.date(2026, 1, 31), 100.0), (dt.date(2026, 2, 28), 120.0)]
    assert "row 5, column measure" in run.stderr
    assert "2 already recorded" in run.stdout


def test_export_then_import_round_trips_and_formulas_are_defused(tmp_path: Path, folder: Path) -> None:
    doc_path = folder / "Identity.osom"
    out = tmp_path / "all.csv"
    run = osom("measures", folder, "--format", "csv", "-o", out)
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "service,date,measure,value,unit,note,service_id,file"
    assert "Identity,2026-01-31,Cost,100.0,GBP" in text
    # Importing our own export again adds nothing: every value is already recorded.
    again = osom("measures", "import", out, "--folder", folder)
    assert again.returncode == 0, again.stderr
    assert "0 values recorded" in again.stdout and "1 already recorded" in again.stdout
    js = json.loads(osom("measures", folder, "--format", "json").stdout)
    assert js["values"][0]["service"] == "Identity" and js["values"][0]["value"] == 100.0
    assert values(doc_path, "Cost") == [(dt.date(2026, 1, 31), 100.0)]


def test_a_unit_the_measure_does_not_use_is_a_problem(tmp_path: Path, folder: Path) -> None:
    csv = tmp_path / "units.csv"
    csv.write_text("service,date,measure,value,unit\nIdentity,2026-02-28,Cost,1,EUR\n", encoding="utf-8")
    run = osom("measures", "import", csv, "--folder", folder)
    assert run.returncode == 1
    assert "row 2, column unit: 'Cost' is measured in 'GBP', not 'EUR'" in run.stderr


def test_windows_1252_and_utf16_files_are_read(tmp_path: Path) -> None:
    a = tmp_path / "ansi.csv"
    a.write_bytes("date;measure;value;note\n2026-01-31;Cost;5;caf\u00e9\n".encode("cp1252"))
    got = read_csv(a)
    assert got.encoding == "windows-1252" and got.rows[0].note == "caf\u00e9"
    u = tmp_path / "unicode.csv"
    u.write_bytes("date\tmeasure\tvalue\n31/01/2026\tCost\t5,25\n".encode("utf-16"))
    got = read_csv(u)
    assert not got.problems and got.rows[0].value == 5.25 and got.rows[0].date == dt.date(2026, 1, 31)


def test_a_huge_file_is_refused_whole_before_it_is_read(tmp_path: Path, folder: Path) -> None:
    big = tmp_path / "huge.csv"
    with big.open("wb") as f:  # a sparse 200 MB file: made in a moment, refused by size
        f.write(b"service,date,measure,value\n")
        f.truncate(200 * 1024 * 1024)
    before = digests(folder)
    run = osom("measures", "import", big, "--folder", folder)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "huge.csv: 210 MB is larger than the 67 MB" in lines[0], run.stderr
    assert digests(folder) == before
    with pytest.raises(CsvRefused):
        read_csv(tmp_path / "missing.csv")


def test_values_past_what_a_file_opens_with_are_refused_not_saved(tmp_path: Path, folder: Path, monkeypatch) -> None:
    monkeypatch.setenv("OSOM_MAX_ROWS", "3")  # the reader's per-table limit, lowered to keep the test small
    csv = tmp_path / "many.csv"
    csv.write_text("service,date,measure,value\n" + "".join(
        f"Payments,2026-01-{d:02d},Transactions,{d}\n" for d in range(1, 6)), encoding="utf-8")
    before = digests(folder)
    run = osom("measures", "import", csv, "--folder", folder)
    assert run.returncode == 1 and digests(folder) == before
    assert "row 5, column value: 'Payments' already holds 3 values" in run.stderr
    assert "row 6, column value" in run.stderr and "row 4," not in run.stderr
