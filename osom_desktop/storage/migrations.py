"""Schema migrations: how a file written by an older OSOM Desktop is read by this one.

``MIGRATIONS[i]`` turns a version ``i + 1`` database into a version ``i + 2`` one, so
``SCHEMA_VERSION == len(MIGRATIONS) + 1`` always. The reader runs the steps a file
needs on its private in-memory copy (the file on disk is never touched); the next
save writes the current schema. A step gets a ``sqlite_utils.Database`` so it can use
``add_column``, ``transform`` and friends rather than hand-written ALTERs.

To change the schema: edit ``schema.py``, bump ``SCHEMA_VERSION``, append a step
here, and add a test that opens a hand-made file of the previous version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from osom_desktop.storage import schema as s
from osom_desktop.storage.owm_text import add_owm_text
from osom_desktop.storage.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # sqlite_utils (with numpy, click, dateutil) loads only when an old file is upgraded
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]



def add_map_snapshots(db: sqlite_utils.Database) -> None:
    """1 -> 2: ``assessments.map_snapshot`` (the map as it was at each assessment).

    Version 1 kept no old maps, so every existing assessment gets NULL: "not kept".
    """
    db.table("assessments").add_column("map_snapshot", str)


def add_governance_records(db: sqlite_utils.Database) -> None:
    """3 -> 4: OSOM's assessment report and the governance records.

    ``assessments.scale`` and ``stage_outcome`` are '' for older assessments (one
    outcome and notes, no criteria); the new tables (criterion results, actions,
    Correction of Error documents, mandates, unmet needs) start empty.
    """
    for column in ("scale", "stage_outcome"):
        if column not in db.table("assessments").columns_dict:
            db.table("assessments").add_column(column, str, not_null_default="")
    for table in s.GOVERNANCE_TABLES:
        db.table(table.name).create(
            {c.name: c.sql_type for c in table.columns},
            pk=table.pk,
            foreign_keys=list(table.foreign_keys),
            not_null=[c.name for c in table.columns if not c.nullable],
            if_not_exists=True,
        )


def add_fitness(db: sqlite_utils.Database) -> None:
    """4 -> 5: ``measures.frequency`` and ``measures.cost``, and the ``budgets`` table.

    Older measures promised no frequency (NULL: never overdue) and were not costs (0).
    """
    measures = db.table("measures").columns_dict
    if "frequency" not in measures:
        db.table("measures").add_column("frequency", str)
    if "cost" not in measures:
        db.table("measures").add_column("cost", int, not_null_default=0)
    t = s.BUDGETS
    db.table(t.name).create({c.name: c.sql_type for c in t.columns}, pk=t.pk,
                      not_null=[c.name for c in t.columns if not c.nullable], if_not_exists=True)


MIGRATIONS: list[Migration] = [add_map_snapshots, add_owm_text, add_governance_records, add_fitness]

assert SCHEMA_VERSION == len(MIGRATIONS) + 1, "add a migration step when bumping SCHEMA_VERSION"


def user_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    db: sqlite_utils.Database,
    steps: Sequence[Migration] = MIGRATIONS,
    *,
    target: int | None = None,
) -> list[int]:
    """Upgrade ``db`` from its ``user_version`` to ``target`` (default: the newest).

    ``user_version`` is bumped after each step, so a step that fails leaves the
    database marked with the last version that completed. Steps are not wrapped in
    one transaction: sqlite-utils commits inside ``transform`` and friends. That is
    fine because the reader migrates a throw-away in-memory copy; the file on disk
    is only ever replaced whole, by a save. Returns the versions reached, in order.
    """
    last = len(steps) + 1
    target = last if target is None else target
    if not 1 <= target <= last:
        raise ValueError(f"no migration path to version {target}")
    version = user_version(db)
    if version < 1:
        raise ValueError(f"version {version} is older than any OSOM schema")
    reached: list[int] = []
    conn = db.conn
    while version < target:
        step = steps[version - 1]
        step(db)
        conn.commit()
        # PRAGMA takes no parameters; version is an int we computed.
        conn.execute(f"PRAGMA user_version = {version + 1:d}")
        version += 1
        reached.append(version)
    return reached
