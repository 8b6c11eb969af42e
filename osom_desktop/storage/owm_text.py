"""What OWM text says beyond the map's elements, kept in the .osom file.

``owm_lines``: the line each element was read from (``WardleyMap.owm_source``), so a
map imported from OWM text and exported again is written back byte for byte wherever
nobody changed it (``0.70`` stays ``0.70``, ``a->B`` keeps its case), even after a
save and a reopen. ``owm_settings``: OWM's ``size [w, h]``, ``evolution --hide`` and
``valuechain --hide``.

A source line is only ever used by the OWM writer while its fingerprint still matches
what the writer makes of the element, so a row edited by another program can at worst
be ignored; it never changes the map.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from osom_desktop.model.wardley import SourceLine, WardleyMap
from osom_desktop.storage import schema as s
from osom_desktop.storage.checks import FileProblem
from osom_desktop.storage.errors import shown

if TYPE_CHECKING:  # only the writer and old-file upgrades hand us one
    import sqlite_utils

# A row to write, by column name (the writer takes its values out by name).
Row = dict[str, Any]
_COVERS_SEP = "\n"  # slots are ids we generate: never a line break


def owm_rows(m: WardleyMap, service_id: str) -> dict[str, list[Row]]:
    """Rows of both tables for ``m``."""
    size = m.size
    return {
        "owm_lines": [
            {"slot": slot, "position": i, "text": src.text, "fingerprint": src.fingerprint,
             "covers": _COVERS_SEP.join(src.covers), "keep": src.keep}
            for i, (slot, src) in enumerate(m.owm_source.items())
        ],
        "owm_settings": [
            {
                "service_id": service_id,
                "size_width": None if size is None else size[0],
                "size_height": None if size is None else size[1],
                "evolution_axis_hidden": m.evolution_axis_hidden,
                "value_chain_hidden": m.value_chain_hidden,
            }
        ],
    }


def read_owm_text(conn: sqlite3.Connection, service_id: str) -> dict[str, Any]:
    """``WardleyMap`` fields from both tables (a file migrated from version 2 has no rows)."""
    from osom_desktop.storage.load import fetch, fetch_values  # load imports this module

    sources: dict[str, SourceLine] = {}
    # One row per element of a map read from OWM text (thousands): columns by name, in C.
    columns = s.OWM_LINES.getter("slot", "text", "fingerprint", "covers", "keep")
    for slot, text, fingerprint, covers, keep in map(columns, fetch_values(conn, s.OWM_LINES)):
        sources[slot] = SourceLine(text, fingerprint, tuple(covers.split(_COVERS_SEP)) if covers else (), keep)
    settings = fetch(conn, s.OWM_SETTINGS)
    if not settings:
        return {"owm_source": sources}
    if len(settings) != 1 or settings[0]["service_id"] != service_id:
        raise FileProblem(f"bad table owm_settings: expected one row for service {shown(service_id)}")
    row = settings[0]
    width, height = row["size_width"], row["size_height"]
    if (width is None) != (height is None):
        raise FileProblem("bad value in owm_settings.size_width/size_height: both or neither must be set")
    return {
        "owm_source": sources,
        "size": None if width is None else (width, height),
        "evolution_axis_hidden": row["evolution_axis_hidden"] == 1,
        "value_chain_hidden": row["value_chain_hidden"] == 1,
    }


def add_owm_text(db: sqlite_utils.Database) -> None:
    """2 -> 3: ``owm_lines`` and ``owm_settings``. Empty: version 2 kept neither (its
    maps export as the writer makes them, and with no size or hidden axis)."""
    for table in (s.OWM_LINES, s.OWM_SETTINGS):
        db.table(table.name).create(
            {c.name: c.sql_type for c in table.columns},
            pk=table.pk,
            foreign_keys=list(table.foreign_keys),
            not_null=[c.name for c in table.columns if not c.nullable],
            # A file made by hand from a newer one may hold them already; check_tables
            # then checks their columns like any other table's.
            if_not_exists=True,
        )
