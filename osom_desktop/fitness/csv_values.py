"""Reading measure values from a CSV file or pasted spreadsheet cells.

The columns are ``date, measure, value[, note]`` (and ``service`` when a folder of
services is fed at once), named in a header row or, without one, in that order. People
export these from Excel, LibreOffice or a BI tool, so we accept what those write when its
meaning is clear: a byte order mark, UTF-16 or Windows-1252 text, ``;`` or tab separators,
decimal commas where the separator is not a comma, ISO / day-first / ``31 Mar 2026``
dates, blank lines. Anything whose meaning is not clear (``03/04/2026`` could be two
dates; ``1,234`` in a comma file could be two numbers) is a ``Problem`` naming the row
and the column, never a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.model.text_safety import for_terminal

# A values file of 100,000 rows is ~5 MB. Past this the file is refused whole before
# it is read, so a wrong file (a database dump, a video) cannot eat the memory.
MAX_CSV_BYTES = 64 * 1024 * 1024
# Problems listed one per line; past this many, the rest are counted, not printed.
MAX_PROBLEMS_LISTED = 1000

COLUMNS = ("date", "measure", "value", "note")
# Columns of our own export (osom measures --format csv) that an import reads or checks.
KNOWN_COLUMNS = {"service", "date", "measure", "value", "note", "unit", "service_id", "file"}
_ALIASES = {"name": "measure", "measure name": "measure", "service name": "service", "comment": "note",
            "notes": "note", "day": "date", "amount": "value"}

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # 1-based line number in the file (the header is row 1 when there is one)
    column: str
    message: str

    def line(self, source: str = "") -> str:
        where = f"{source}: " if source else ""
        return f"{where}row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class ValueRow:
    row: int
    date: dt.date
    measure: str
    value: float
    note: str = ""
    service: str = ""  # empty when the file has no service column
    unit: str | None = None  # only when the file has a unit column


@dataclass(slots=True)
class ParsedValues:
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    has_service: bool = False
    delimiter: str = ","
    encoding: str = "utf-8"


class CsvRefused(Exception):
    """The whole file is refused (too big, not text): one line naming the file."""


def _safe(text: str, limit: int = 60) -> str:
    # The cell is quoted in one line of an error; control characters cannot split it.
    return "'" + for_terminal(text[:limit]) + ("…" if len(text) > limit else "") + "'"


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read as."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; every byte means something there.
        return data.decode("cp1252", errors="replace"), "windows-1252"


def guess_delimiter(text: str) -> str:
    """Tab (pasted cells), ``;`` (a European Excel) or ``,``: the one the first line uses."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if "\t" in first:
        return "\t"
    unquoted = re.sub(r'"[^"]*"', "", first)
    if unquoted.count(";") > unquoted.count(","):
        return ";"
    return ","


def parse_number(text: str, delimiter: str) -> float | str:
    """The number, or why it is not one."""
    if "," not in text and "_" not in text:  # the common case: 1234.5 (float() takes 1_000: we do not)
        try:
            number = float(text)
        except ValueError:
            pass
        else:
            return _finite(number, text)
    t = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not t:
        return "no value"
    if "," in t:
        t, problem = _decimal_point(t, text, delimiter)
        if problem:
            return problem
    try:
        number = float(t)
    except ValueError:
        return f"{_safe(text)} is not a number"
    return _finite(number, text)


def _finite(number: float, text: str) -> float | str:
    return number if math.isfinite(number) else f"{_safe(text)} is not a finite number"


def _decimal_point(t: str, text: str, delimiter: str) -> tuple[str, str]:
    """``t`` (which holds a comma) with a decimal point instead, or why it cannot be."""
    if delimiter == ",":
        # Only a quoted cell holds a comma here: 1,234 might be 1.234 or 1234.
        return t, f"{_safe(text)} is ambiguous in a comma-separated file (a decimal comma or a thousands separator?)"
    if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d+", t):  # 1.234,5
        return t.replace(".", "").replace(",", "."), ""
    if re.fullmatch(r"[-+]?\d+,\d+", t):
        return t.replace(",", "."), ""
    return t, f"{_safe(text)} is not a number"


def _iso_date(m: re.Match[str], text: str) -> dt.date | str | None:
    return _date(int(m[1]), int(m[2]), int(m[3]), text)


def _dotted_date(m: re.Match[str], text: str) -> dt.date | str | None:
    return _date(int(m[3]), int(m[2]), int(m[1]), text)


def _slashed_date(m: re.Match[str], text: str) -> dt.date | str | None:
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if a > 12 >= b:
        return _date(year, b, a, text)
    if b > 12 >= a:
        return _date(year, a, b, text)
    if a == b:
        return _date(year, a, a, text)
    return f"{_safe(text)} is ambiguous (day/month or month/day?); write it as {year}-MM-DD"


def _day_month_name(m: re.Match[str], text: str) -> dt.date | str | None:
    month = _MONTHS.get(m[2].lower())
    return None if month is None else _date(int(m[3]), month, int(m[1]), text)


def _month_name_day(m: re.Match[str], text: str) -> dt.date | str | None:
    month = _MONTHS.get(m[1].lower())
    return None if month is None else _date(int(m[3]), month, int(m[2]), text)


# The date forms read, in order; a reader returns None to let the next form try.
_DATE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], dt.date | str | None]], ...] = (
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?"), _iso_date),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), _dotted_date),  # 31.03.2026: day first wherever dots are used
    (re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})"), _slashed_date),
    (re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -,]*(\d{4})"), _day_month_name),  # 31 Mar 2026
    (re.compile(r"([A-Za-z]{3})[A-Za-z]* (\d{1,2}),? (\d{4})"), _month_name_day),  # March 31, 2026
)


@functools.lru_cache(maxsize=4096)  # a values file repeats its dates: each is parsed once
def parse_date(text: str) -> dt.date | str:
    """The date, or why it is not one. ``a/b/yyyy`` with both parts ≤ 12 is ambiguous."""
    t = text.strip()
    if not t:
        return "no date"
    for pattern, read in _DATE_FORMS:
        m = pattern.fullmatch(t)
        got = None if m is None else read(m, text)
        if got is not None:
            return got
    return f"{_safe(text)} is not a date (write it as YYYY-MM-DD)"


def _date(year: int, month: int, day: int, text: str) -> dt.date | str:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return f"{_safe(text)} is not a date on the calendar"


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column name -> index when ``cells`` is a header row (names ``date`` and ``value``)."""
    names = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    if "date" in names and "value" in names:
        return {n: i for i, n in reversed(list(enumerate(names))) if n in KNOWN_COLUMNS}
    return None


def parse_text(text: str, *, delimiter: str | None = None, encoding: str = "utf-8") -> ParsedValues:
    """Read values from CSV text (a file's, or cells pasted from a spreadsheet)."""
    text = text.lstrip("\ufeff")
    sep = delimiter or guess_delimiter(text)
    out = ParsedValues(delimiter=sep, encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    columns: dict[str, int] | None = None
    start = 1
    try:
        for cells in reader:
            row = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank line
            if columns is None:
                columns = _header(cells)
                if columns is not None:
                    if "measure" not in columns:
                        out.problems.append(Problem(row, "measure", "the header names no measure column"))
                        return out
                    out.has_service = "service" in columns
                    continue
                columns = {name: i for i, name in enumerate(COLUMNS)}
            _read_row(out, row, cells, columns, sep)
    except csv.Error as exc:
        out.problems.append(Problem(start, "-", f"cannot be read as CSV ({exc})"))
    return out


@functools.lru_cache(maxsize=4096)  # service and measure names repeat on every row
def _spaced(text: str) -> str:
    return " ".join(text.split())


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str | None:
    i = columns.get(name, len(cells))
    return cells[i] if i < len(cells) else None


def _read_row(out: ParsedValues, row: int, cells: list[str], columns: dict[str, int], sep: str) -> None:
    date = parse_date(_cell(cells, columns, "date") or "")
    measure = _spaced(_cell(cells, columns, "measure") or "")
    value = parse_number(_cell(cells, columns, "value") or "", sep)
    service = _spaced(_cell(cells, columns, "service") or "")
    problems = _row_problems(row, date, measure, value, service if "service" in columns else None)
    if problems:
        out.problems += problems
        return
    unit = _cell(cells, columns, "unit")
    note = (_cell(cells, columns, "note") or "").strip()
    out.rows.append(ValueRow(row, date, measure, value, note, service,  # type: ignore[arg-type]
                             unit.strip() if unit is not None else None))


def _row_problems(
    row: int, date: dt.date | str, measure: str, value: float | str, service: str | None
) -> list[Problem]:
    """What is wrong with a row's cells; ``service`` None when the file has no such column."""
    problems = []
    if isinstance(date, str):
        problems.append(Problem(row, "date", date))
    if not measure:
        problems.append(Problem(row, "measure", "no measure named"))
    if isinstance(value, str):
        problems.append(Problem(row, "value", value))
    if service == "":
        problems.append(Problem(row, "service", "no service named"))
    return problems


def read_csv(path: str | os.PathLike[str], *, max_bytes: int = MAX_CSV_BYTES) -> ParsedValues:
    """Read a values file; ``CsvRefused`` (one line naming it) when it cannot be read at all."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise CsvRefused(f"{p}: {size / 1e6:,.0f} MB is larger than the {max_bytes / 1e6:,.0f} MB a values file may be; "
                             "split it, or import it in parts")
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise CsvRefused(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise CsvRefused(f"{p}: larger than the {max_bytes / 1e6:,.0f} MB a values file may be")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvRefused(f"{p}: is not a text file")
    text, encoding = decode(data)
    return parse_text(text, encoding=encoding)


def problem_lines(problems: list[Problem], source: str = "", limit: int = MAX_PROBLEMS_LISTED) -> list[str]:
    lines = [p.line(source) for p in sorted(problems, key=lambda p: p.row)[:limit]]
    if len(problems) > limit:
        lines.append(f"{source + ': ' if source else ''}… and {len(problems) - limit:,} more problems")
    return lines


def parse_pasted(text: str, measure: str) -> ParsedValues:
    """Cells pasted from a spreadsheet. Two or three columns without a header are
    ``date, value[, note]`` of ``measure`` (the one selected); otherwise as a CSV file."""
    sep = guess_delimiter(text)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    cells = next(csv.reader([first], delimiter=sep), [])
    if _header(cells) is None and 2 <= len(cells) <= 3:
        rows = []
        for cells in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep):
            if any(c.strip() for c in cells):
                rows.append([cells[0], measure, *cells[1:]])
            else:
                rows.append([])
        buf = io.StringIO(newline="")
        csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
        text = buf.getvalue()
    return parse_text(text, delimiter=sep)
