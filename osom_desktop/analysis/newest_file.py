"""Which of several files holding one service id is the newest, and how to say so.

A person copies ``payments.osom`` to ``payments (copy).osom``, or leaves last year's
version in the shared folder: two files, one service id. The network (``network.py``)
and a service's look-ups of its neighbours (``directory.ServiceDirectory.by_id``) use
the newest, decided from what each file records of its last save (``newness``), never
from which name the listing gave first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from osom_desktop.model.service import Revision
from osom_desktop.storage.network_read import read_last_save


@dataclass(frozen=True, slots=True)
class SaveRecord:
    """What a file says of when it was last saved: its last revision (number, time,
    UTC), then the file system's modification time (ns), each None when unknown."""

    revision: int | None
    saved_at: dt.datetime | None
    mtime_ns: int | None


def save_record(path: Path, revisions: Sequence[Revision] = ()) -> SaveRecord:
    """The last save of ``revisions`` (a document's, when read whole), else the one the
    file records (the light read and the summary leave revisions out: read here, which
    only files sharing an id pay), and the file's mtime."""
    last: Revision | None = max(revisions, key=lambda r: r.number) if revisions else None
    if last is None:
        try:
            last = read_last_save(path)
        except Exception:  # noqa: BLE001 - a file read a moment ago and now unreadable: its mtime decides
            last = None
    try:
        mtime: int | None = path.stat().st_mtime_ns
    except OSError:
        mtime = None
    saved = None
    if last is not None:  # a time written without a zone (another program) is taken as UTC, as OSOM writes
        saved = last.saved_at if last.saved_at.tzinfo else last.saved_at.replace(tzinfo=dt.UTC)
    return SaveRecord(last.number if last else None, saved, mtime)


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def newness(path: Path, r: SaveRecord) -> tuple[Any, ...]:
    """Larger is newer. The time of the last save the file records first: a copy made
    with ``cp`` or a sync tool gets a new mtime but keeps the revisions it was copied
    with, so the mtime decides only between files recording no save. Then the revision
    number (two saves within the clock's tick). Files recording the same last save hold
    the same content (every save appends a revision), their mtimes saying only when
    each was copied: the shorter then the first name is used ("payments.osom" over
    "payments (copy).osom"). So the answer never depends on the listing's order."""
    name = str(path)
    mtime = (r.mtime_ns or 0) if r.saved_at is None else 0
    return (r.saved_at or _NEVER, r.revision or 0, mtime, -len(name), [-ord(ch) for ch in name])


def describe(r: SaveRecord) -> str:
    if r.revision is None or r.saved_at is None:
        modified = _when_ns(r.mtime_ns)
        return "no save recorded" + (f", file modified {modified}" if modified else "")
    return f"revision {r.revision} saved {r.saved_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def _when_ns(ns: int | None) -> str | None:
    if ns is None:
        return None
    return f"{dt.datetime.fromtimestamp(ns / 1e9, dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


def why_used(used: SaveRecord, next_newest: SaveRecord) -> str:
    """Why the used file won against the next newest, in the order ``newness`` decides."""
    if used.saved_at is not None and used.saved_at != next_newest.saved_at:
        return "saved last"
    if used.revision is not None and used.revision != next_newest.revision:
        return "the later revision"
    if used.saved_at is None:
        return "modified last" if used.mtime_ns != next_newest.mtime_ns else "the shorter file name"
    return "the same last save in both (identical copies); the shorter file name"


def record_json(r: SaveRecord) -> dict[str, Any]:
    return {"revision": r.revision, "saved_at": r.saved_at.isoformat() if r.saved_at else None,
            "modified": _when_ns(r.mtime_ns)}
