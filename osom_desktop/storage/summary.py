"""What other services need to know about a service file, read cheaply and remembered.

Checking, packing or opening one service needs a few facts about each of its
neighbours (their ids and names to resolve links, lifecycle and declared evolution,
their own dependencies and map links for the network's edges, the assessments' dates).
Reading each neighbour whole (``open_document``: every table, every map element, the
fingerprint) made ``osom check`` of one file beside 2,000 others take 9 s.

``read_summary`` reads only those facts, with the reader's guards: bounded,
regular-file-only read (``limits``), header, private in-memory copy with
``trusted_schema=OFF``, ``quick_check``, application id and format, no triggers or views;
then, for the six tables it reads only, presence, row caps and the value checks. It
does not look at the other tables nor compare the content fingerprint (that needs the
whole document): a file edited with another program, or missing a table the summary
does not need, is summarised, and refused (or offered with a warning) only when
someone opens it.

``SummaryCache`` remembers summaries, and one-line reasons for unreadable files, per
folder in the user's cache folder (``paths.user_cache_dir()``), keyed by each file's
``(size, mtime_ns, inode, ctime_ns)``: a save renames a new file over the old (new inode,
new ctime), so a stale summary is never used. The cache is a JSON file written
atomically; one that cannot be read or parsed is ignored and rebuilt. It is only ever
a shortcut: any problem with it means reading the files again.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from osom_desktop.model.service import Dependency, EvolutionStage, LifecycleStage, Service
from osom_desktop.model.wardley import ServiceRef
from osom_desktop.storage import schema as s
from osom_desktop.storage.atomic import atomic_write_bytes
from osom_desktop.storage.checks import FileProblem
from osom_desktop.storage.errors import StorageError, shown
from osom_desktop.storage.limits import max_file_bytes, max_rows
from osom_desktop.storage.load import one_row, pick, read_labels, unique_ids, validated
from osom_desktop.storage.network_read import TableReader, read_tables
from osom_desktop.storage.reader import check_objects, one_line_errors, open_private_copy

# Raise when ServiceFacts or what read_summary checks changes: older caches are then ignored.
# 2: every assessment date is kept ("assessed" a list), not the latest one.
SUMMARY_FORMAT = 2
# The only tables a summary reads, so the only ones checked for presence and row count.
SUMMARY_TABLES = (s.SERVICE, s.CONTRACT, s.DEPENDENCIES, s.MAP, s.COMPONENTS, s.ASSESSMENTS)


DependencyRow = tuple[str, str, "str | None", str]  # (id, service_name, service_id, description)


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    """The facts about one service file that other services' checks and the network use."""

    service_id: str
    name: str
    manager: str
    lifecycle: LifecycleStage
    evolution_stage: EvolutionStage | None
    # Contract dependencies as plain rows, already validated: building 5,000 pydantic
    # objects for a warm scan of 2,000 files cost more than the rest of it.
    dependency_rows: tuple[DependencyRow, ...] = ()
    # The services its map says provide its components, in map order (one per linked component).
    map_providers: tuple[ServiceRef, ...] = ()
    # Every assessment's date, distinct, earliest first. Not just the latest: one dated
    # after today has not happened (``last_assessment``), and the summary is remembered
    # for as long as the file is unchanged, over days in which "today" moves.
    assessment_dates: tuple[dt.date, ...] = ()

    @property
    def dependencies(self) -> tuple[Dependency, ...]:
        return dependencies_of(self.dependency_rows)

    @property
    def last_assessment(self) -> dt.date | None:
        """The latest assessment dated today or earlier (``last_assessment_on``)."""
        return self.last_assessment_on()

    def last_assessment_on(self, today: dt.date | None = None) -> dt.date | None:
        """The latest assessment dated on or before ``today``: one dated later is planned or
        mistyped, never the last assessment (``analysis.assessment_dates``' rule, which the
        network window's table and the Assessments dock follow)."""
        return last_date_on(self.assessment_dates, today)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.service_id,
            "name": self.name,
            "manager": self.manager,
            "lifecycle": self.lifecycle.value,
            "stage": self.evolution_stage.value if self.evolution_stage else None,
            "deps": [list(row) for row in self.dependency_rows],
            "providers": [[p.name, p.service_id] for p in self.map_providers],
            "assessed": [d.isoformat() for d in self.assessment_dates],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServiceFacts:
        """Back from the cache; raises (KeyError, ValueError, TypeError) on anything odd."""
        assessed = data["assessed"]
        if not isinstance(assessed, list):
            raise TypeError("expected a list of dates")
        return cls(
            service_id=_str(data["id"]),
            name=_str(data["name"]),
            manager=_str(data["manager"]),
            lifecycle=LifecycleStage(data["lifecycle"]),
            evolution_stage=None if data["stage"] is None else EvolutionStage(data["stage"]),
            dependency_rows=tuple((_str(i), _str(n), _opt(sid), _str(d)) for i, n, sid, d in data["deps"]),
            map_providers=tuple(ServiceRef(_str(n), _opt(sid)) for n, sid in data["providers"]),
            assessment_dates=_distinct(dt.date.fromisoformat(_str(d)) for d in assessed),
        )

    @classmethod
    def of_document(cls, doc: Any) -> ServiceFacts:
        """From a whole ``ServiceDocument`` already in memory (the network has them)."""
        return cls(
            service_id=doc.service.id,
            name=doc.service.name,
            manager=doc.service.manager,
            lifecycle=doc.service.lifecycle,
            evolution_stage=doc.contract.evolution_stage,
            dependency_rows=tuple((d.id, d.service_name, d.service_id, d.description) for d in doc.contract.dependencies),
            map_providers=tuple(c.provided_by for c in doc.map.components if c.provided_by is not None),
            assessment_dates=_distinct(a.date for a in doc.assessments),
        )


def last_date_on(dates: tuple[dt.date, ...], today: dt.date | None = None) -> dt.date | None:
    """The latest of ``dates`` (sorted) on or before ``today`` (default: the local date)."""
    at = bisect.bisect_right(dates, dt.date.today() if today is None else today)
    return dates[at - 1] if at else None


def _distinct(dates: Any) -> tuple[dt.date, ...]:
    return tuple(sorted(set(dates)))


def dependencies_of(rows: tuple[DependencyRow, ...]) -> tuple[Dependency, ...]:
    """Validated rows -> Dependency models (no second validation)."""
    return tuple(Dependency.model_construct(id=i, service_name=n, service_id=sid, description=d) for i, n, sid, d in rows)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _opt(value: object) -> str | None:
    return None if value is None else _str(value)


# -- reading one file ---------------------------------------------------------------------


def read_summary(path: str | os.PathLike[str]) -> ServiceFacts:
    """The facts of one ``.osom`` file, or StorageError with one line naming it.

    A few SQL statements on a private copy, after the reader's checks of the whole
    database (an older file format is migrated on the copy first, as when opened):
    one counting the six tables' rows, one plain SELECT for each table with rows,
    whose values are checked in Python (``network_read.read_tables``: the reader's
    checks run only to name a failure, in the reader's words and order). A file with
    the schema of one read before skips the schema's checks and ``quick_check`` for a
    walk of every table's pages (``network_read._known_schema_read``).
    """
    return read_tables(path, SUMMARY_TABLES, _facts)


def read_identity(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Just the service's id and name: enough to tell whether another service names this file.

    The bounded read, header, private copy, application id, format and schema-object
    checks of the reader, then one SELECT; no integrity check or value scan (the full
    summary, read only for the files that turn out to be needed, does those). About a
    third of ``read_summary``'s cost. StorageError with one line naming the file.
    """
    p = Path(path)
    with one_line_errors(p):
        conn = open_private_copy(p)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != s.APPLICATION_ID:
                raise FileProblem("not an OSOM service file (an SQLite database of another program)")
            if not 1 <= conn.execute("PRAGMA user_version").fetchone()[0] <= s.SCHEMA_VERSION:
                read_summary(p)  # a newer or unknown format: raises with the reader's words
            # Older formats are not migrated for this: every format has had service(id, name).
            problem = check_objects(conn)
            if problem is not None:
                raise FileProblem(problem)
            rows = conn.execute("SELECT id, name FROM service LIMIT 2").fetchall()
            if len(rows) != 1 or not all(isinstance(v, str) for v in rows[0]):
                raise FileProblem("bad table service: expected one row with a text id and name")
            return rows[0][0], rows[0][1]
        finally:
            conn.close()


def _facts(r: TableReader) -> ServiceFacts:
    # Table by table in a fixed order, so a file with several bad tables is always
    # refused for the same one.
    sv = one_row(s.SERVICE, r.rows(s.SERVICE))
    service = validated(Service, pick(sv, "id", "name", "manager", "lifecycle"), s.SERVICE, f"id {shown(sv['id'])}")
    stage = _contract_stage(r, service.id)
    rows = _dependency_rows(r)
    _check_map_row(r, service.id)
    providers = _map_providers(r)
    dates = _assessment_dates(r)
    return ServiceFacts(
        service_id=service.id,
        name=service.name,
        manager=service.manager,
        lifecycle=service.lifecycle,
        evolution_stage=None if stage is None else EvolutionStage(stage),
        dependency_rows=rows,
        map_providers=providers,
        assessment_dates=dates,
    )


def _contract_stage(r: TableReader, service_id: str) -> str | None:
    """The contract's evolution stage (its one row checked, and that it is this service's)."""
    contract_rows = r.rows(s.CONTRACT)
    if len(contract_rows) != 1:
        raise FileProblem(f"bad table {s.CONTRACT.name}: expected one row, found {len(contract_rows)}")
    contract_sid, stage = contract_rows[0]["service_id"], contract_rows[0]["evolution_stage"]
    if contract_sid != service_id:
        raise FileProblem(f"bad value in contract.service_id: {shown(contract_sid)} is not the service's id {shown(service_id)}")
    evolution_stage: str | None = stage  # text or NULL: the column's value check ran
    return evolution_stage


def _dependency_rows(r: TableReader) -> tuple[DependencyRow, ...]:
    dep_rows = r.rows(s.DEPENDENCIES)
    unique_ids(s.DEPENDENCIES, [d["id"] for d in dep_rows])
    dependencies = tuple(
        validated(Dependency, pick(d, "id", "service_name", "service_id", "description"), s.DEPENDENCIES,
                  f"id {shown(d['id'])}")
        for d in dep_rows
    )
    return tuple((d.id, d.service_name, d.service_id, d.description) for d in dependencies)


def _check_map_row(r: TableReader, service_id: str) -> None:
    """The map's one row, though no fact comes from it: a file whose map cannot be read
    (evolution labels nested thousands deep) is not offered as a service to link to."""
    m = one_row(s.MAP, r.rows(s.MAP))
    if m["service_id"] != service_id:
        raise FileProblem(f"bad value in map.service_id: {shown(m['service_id'])} is not the service's id {shown(service_id)}")
    read_labels(m["evolution_labels"])


_PROVIDER = s.COMPONENTS.getter("provided_by_name", "provided_by_service_id")


def _map_providers(r: TableReader) -> tuple[ServiceRef, ...]:
    """The services the map's components are provided by, in the map's order."""
    pairs = map(_PROVIDER, r.values(s.COMPONENTS))
    return tuple(ServiceRef(pname, psid) for pname, psid in pairs if pname is not None)


def _assessment_dates(r: TableReader) -> tuple[dt.date, ...]:
    dates = set()
    for a in r.rows(s.ASSESSMENTS):
        try:
            dates.add(_as_date(a["date"]))
        except ValidationError:
            _first_bad_date(r.conn)
            raise  # pragma: no cover - _first_bad_date raised
    return tuple(sorted(dates))


@functools.cache
def _date_adapter() -> Any:  # a pydantic TypeAdapter[dt.date]
    """Made on first use, not at import: every ``osom check`` imports this module, and
    one whose summaries all come from the cache (or whose dates are all written as OSOM
    writes them, ``_as_date``) never needs it."""
    from pydantic import TypeAdapter

    return TypeAdapter(dt.date)


def _as_date(value: object) -> dt.date:
    """``value`` as the reader reads an assessment's date (pydantic's rules), or ValidationError.

    A date as OSOM writes it (YYYY-MM-DD, ASCII digits) is one ``fromisoformat`` reads
    exactly as pydantic does; anything else (another program's spelling, or not a date)
    is pydantic's to accept or refuse."""
    if (type(value) is str and len(value) == 10 and value.isascii() and value[4] == value[7] == "-"
            and value[:4].isdigit() and value[5:7].isdigit() and value[8:].isdigit()):
        with contextlib.suppress(ValueError):  # 2026-02-30: pydantic words the refusal
            return dt.date.fromisoformat(value)
    when: dt.date = _date_adapter().validate_python(value)
    return when


def _first_bad_date(conn: sqlite3.Connection) -> None:
    """Name the assessment whose date is not a date, the first in the table as stored."""
    for aid, date in conn.execute("SELECT id, date FROM assessments"):
        try:
            _as_date(date)
        except ValidationError:
            raise FileProblem(f"bad value in assessments.date (id {shown(aid)}): not a date (got {shown(date)})") from None


# -- the cache ------------------------------------------------------------------------------

Stamp = tuple[int, int, int, int]


def stamp_of(st: os.stat_result) -> Stamp:
    """What must not change for a remembered summary to hold (a save renames a new file over)."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _cache_file(folder: str) -> Path:
    from osom_desktop.paths import user_cache_dir  # no Qt; only where a cache is used

    digest = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return user_cache_dir() / "summaries" / f"{digest}.json"


class SummaryCache:
    """Summaries of the service files of one folder, remembered between runs.

    ``get(name, stamp)`` gives a remembered ``ServiceFacts`` or reason, or None;
    ``put`` records a new one; ``identity``/``put_identity`` the same for just the id and
    name (an entry ``{"partial": [id, name]}`` until the full summary is read);
    ``save()`` writes the cache back when anything changed.
    Not shared between threads: each scan builds its own from the file.
    """

    def __init__(self, folder: str | os.PathLike[str], *, enabled: bool = True) -> None:
        self.folder = os.path.normcase(os.path.realpath(folder))  # a no-op on a real path: a few lstat calls
        self.enabled = enabled
        self.entries: dict[str, tuple[Stamp, dict[str, Any] | str]] = {}
        self.hits = 0
        self._dirty = False
        self._seen: set[str] = set()
        if enabled:
            self._load()

    def _header(self) -> dict[str, Any]:
        # Limits are part of the key: a reason cached under a lower cap must not stick.
        return {"format": SUMMARY_FORMAT, "schema": s.SCHEMA_VERSION, "folder": self.folder,
                "max_rows": max_rows(), "max_file_bytes": max_file_bytes()}

    def _load(self) -> None:
        try:
            path = _cache_file(self.folder)
            raw = json.loads(path.read_bytes())
            if raw.get("header") != self._header():
                self._dirty = True
                return
            for name, (stamp, value) in raw["entries"].items():
                if not isinstance(value, (str, dict)) or len(stamp) != 4 or not all(isinstance(x, int) for x in stamp):
                    raise ValueError("bad entry")
                self.entries[name] = (tuple(stamp), value)
        except (OSError, ValueError, TypeError, AttributeError, KeyError, RecursionError):
            # Missing, half-written by a crash of another program, or not ours: start afresh.
            self.entries = {}
            self._dirty = True

    def get(self, name: str, stamp: Stamp) -> ServiceFacts | str | None:
        self._seen.add(name)
        hit = self.entries.get(name)
        if hit is None or hit[0] != stamp:
            return None
        value = hit[1]
        if isinstance(value, str):
            self.hits += 1
            return value
        if "partial" in value:
            return None
        try:
            facts = ServiceFacts.from_json(value)
        except (KeyError, ValueError, TypeError):
            del self.entries[name]
            self._dirty = True
            return None
        self.hits += 1
        return facts

    def put(self, name: str, stamp: Stamp, value: ServiceFacts | str) -> None:
        self._seen.add(name)
        self.entries[name] = (stamp, value if isinstance(value, str) else value.to_json())
        self._dirty = True

    def identity(self, name: str, stamp: Stamp) -> tuple[str, str] | str | None:
        """The remembered (id, name) of a file, or the reason it is unreadable, or None."""
        self._seen.add(name)
        hit = self.entries.get(name)
        if hit is None or hit[0] != stamp:
            return None
        value = hit[1]
        if isinstance(value, str):
            return value
        pair = value.get("partial") or [value.get("id"), value.get("name")]
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair):
            return pair[0], pair[1]
        return None

    def put_identity(self, name: str, stamp: Stamp, identity: tuple[str, str] | str) -> None:
        self._seen.add(name)
        self.entries[name] = (stamp, identity if isinstance(identity, str) else {"partial": list(identity)})
        self._dirty = True

    def retain_seen(self) -> None:
        """Forget files not asked about since loading (the whole folder was listed: they are gone)."""
        for name in [n for n in self.entries if n not in self._seen]:
            del self.entries[name]
            self._dirty = True

    def save(self) -> None:
        if not (self.enabled and self._dirty):
            return
        data = {"header": self._header(), "entries": {n: [list(st), v] for n, (st, v) in self.entries.items()}}
        with contextlib.suppress(OSError):  # a cache we cannot write only costs time
            path = _cache_file(self.folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            self._dirty = False


def summary_of(path: Path, st: os.stat_result, cache: SummaryCache | None, name: str | None = None) -> ServiceFacts | str:
    """The facts of ``path`` (whose ``stat`` is ``st``), from ``cache`` when unchanged; or a one-line reason.

    ``name``: the file's name in ``cache`` (the real file's, when ``path`` is a link).
    Never raises: whatever goes wrong with one file is that file's reason.
    """
    stamp = stamp_of(st)
    name = name or path.name
    if cache is not None:
        hit = cache.get(name, stamp)
        if hit is not None:
            return hit
    value: ServiceFacts | str
    try:
        value = read_summary(path)
    except StorageError as exc:
        value = str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug of ours on one file must not hide the folder
        value = f"{path.name}: could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
    if cache is not None:
        cache.put(name, stamp, value)
    return value


def identity_of(
    path: str | os.PathLike[str], st: os.stat_result, cache: SummaryCache | None, name: str | None = None
) -> tuple[str, str] | str:
    """(service id, service name) of ``path``, from ``cache`` when unchanged; or a one-line reason. Never raises."""
    stamp = stamp_of(st)
    name = name or os.path.basename(path)
    if cache is not None:
        hit = cache.identity(name, stamp)
        if hit is not None:
            return hit
    value: tuple[str, str] | str
    try:
        value = read_identity(path)
    except StorageError as exc:
        value = str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug of ours on one file must not hide the folder
        value = f"{os.path.basename(path)}: could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
    if cache is not None:
        cache.put_identity(name, stamp, value)
    return value
