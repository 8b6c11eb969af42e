"""A shared folder with good service files next to hostile entries, built for real on disk.

Each hostile entry is one a folder on a shared drive could really hold:

* ``nested.osom``: a valid service whose ``map.evolution_labels`` is JSON nested 2,000
  deep (4 KB of brackets; ``json.loads`` raises RecursionError on it);
* ``x.osom``: a named pipe (opening it for reading waits for a writer forever);
* ``y.osom``: a symlink to ``/dev/zero`` (endless bytes, size 0);
* ``outside.osom``: a symlink to a good service file in another folder;
* ``huge.osom``: a valid service with more components than the row cap (made with
  sqlite3 directly: a million rows took a minute and 2.4 GB to open before the cap).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.storage.limits import DEFAULT_MAX_ROWS
from tests.analysis.services import component, dependency, document, saved

GOOD = {"Payments": "svc-pay", "Identity": "svc-id", "Apply Online": "svc-apply"}
# Words of each hostile entry's reason, as the person reads it: listed in a folder scan,
# and opened on its own (None: a link to a good file elsewhere, opened on purpose, is read).
HOSTILE: dict[str, tuple[str, str | None]] = {
    "nested.osom": ("evolution_labels", "evolution_labels"),
    "x.osom": ("named pipe", "named pipe"),
    "y.osom": ("outside the folder", "device"),
    "outside.osom": ("outside the folder", None),
    "huge.osom": ("rows", "rows"),
}
HUGE_ROWS = DEFAULT_MAX_ROWS + 10_000


@dataclass
class HostileFolder:
    folder: Path
    good: dict[str, Path]  # service name -> file
    hostile: dict[str, Path]  # file name -> path


def _add_components(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    try:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(components)")]
        picked = ", ".join("'z' || n" if c == "id" else "1000 + n" if c == "position" else c for c in cols)
        conn.execute(
            f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) "
            f"INSERT INTO components ({', '.join(cols)}) SELECT {picked} FROM s, (SELECT * FROM components LIMIT 1)"
        )
        conn.commit()
    finally:
        conn.close()


def build(root: Path) -> HostileFolder:
    folder = root / "shared"
    good = {
        "Payments": saved(document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA,
                                   stage=EvolutionStage.COMMODITY), folder),
        "Identity": saved(document("Identity", sid="svc-id", lifecycle=LifecycleStage.BETA,
                                   stage=EvolutionStage.PRODUCT), folder),
        "Apply Online": saved(document(
            "Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
            deps=[dependency("Payments", "svc-pay")],
            components=[component("Card payments", 0.9, by="Payments", by_id="svc-pay")],
        ), folder),
    }
    nested = saved(document("Nested", sid="svc-nested"), folder, "nested.osom")
    conn = sqlite3.connect(nested)
    conn.execute("UPDATE map SET evolution_labels = ?", ("[" * 2000 + "]" * 2000,))
    conn.commit()
    conn.close()
    os.mkfifo(folder / "x.osom")
    os.symlink("/dev/zero", folder / "y.osom")
    elsewhere = saved(document("Elsewhere", sid="svc-elsewhere"), root / "private")
    os.symlink(elsewhere, folder / "outside.osom")
    huge = saved(document("Huge", sid="svc-huge", components=[component("Seed")]), folder, "huge.osom")
    _add_components(huge, HUGE_ROWS)
    return HostileFolder(folder, good, {name: folder / name for name in HOSTILE})
