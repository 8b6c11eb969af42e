"""Value checks shared by the reader (untrusted files) and the writer (our own output).

One SQL scan per table finds the first row with a value of the wrong type, an
unknown enum value or a boolean that is not 0/1: SQLite does the scanning in C, so
checking 16,000 components costs a few milliseconds, and Python looks at a row only
when it is bad, to say which column and why. The writer runs the same check on what
it is about to write, so a save can never produce a file its own reader refuses.
"""

from __future__ import annotations

import sqlite3

from osom_desktop.storage.errors import shown
from osom_desktop.storage.schema import Table, quote


class FileProblem(Exception):
    """What is wrong with a file's content, without the file's name.

    Raised deep inside the reader and writer; the public functions add the name and
    turn it into a ``StorageError``.
    """


class ContentChanged(FileProblem):
    """Readable, but not what the last save wrote: damage, or an edit by another program."""


def row_key(table: Table, values: dict[str, object]) -> str:
    """How a row is named in a message: ``id 'c1'`` or ``measure_id 'm1', position 2``."""
    return ", ".join(f"{k} {shown(values.get(k))}" for k in table.key_columns)


def find_bad_value(conn: sqlite3.Connection, table: Table) -> str | None:
    """The first problem with a value in ``table``, as one line, or None if all are fine."""
    checks = " AND ".join(c.check_sql() for c in table.columns)
    names = table.column_names
    select = ", ".join(quote(n) for n in names)
    try:
        row = conn.execute(f"SELECT {select} FROM {quote(table.name)} WHERE NOT ({checks}) LIMIT 1").fetchone()
    except sqlite3.OperationalError as exc:
        if "decode" in str(exc).lower():
            raise FileProblem(f"bad value in table {table.name}: text that is not valid UTF-8") from None
        raise
    if row is None:
        return None
    values = dict(zip(names, row, strict=True))
    for column in table.columns:
        problem = column.problem(values[column.name])
        if problem is not None:
            return (
                f"bad value in {table.name}.{column.name} ({row_key(table, values)}): "
                f"{problem} (got {shown(values[column.name])})"
            )
    # SQL and Python disagree: a bug in schema.Column, worth a clear message anyway.
    return f"bad value in table {table.name} ({row_key(table, values)})"  # pragma: no cover
