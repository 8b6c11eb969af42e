"""The tables of a ``.osom`` file, declared once for the writer and the reader.

Why a declaration rather than hand-written DDL and SELECTs: the writer creates the
tables from it (through sqlite-utils), and the reader builds from the same list the
columns it selects and the one SQL scan per table that checks every value's type and
range before any Python object is built. Both directions go by column name, never by
a position written in code: the reader gets each row as a ``{column: value}`` dict
(``Table.select_sql``), or, for the tables with thousands of rows, takes the columns it
names out of each row with ``Table.getter``; the writer gives each row as a dict whose
values go in by name (``Table.insert_sql``). A column added here is therefore written,
read and checked in one place, and the order of the columns below is only what a
person sees in the sqlite3 shell (tests/storage/test_by_name.py reorders them).

Layout decisions, so a person reading the file with the sqlite3 shell or Datasette
finds what they expect:

* one table per kind of thing, one row per thing, one column per field; nested
  values are flattened into prefixed columns (``evolve_*``, ``guidance_*``,
  ``provided_by_*``, ``label_dx``/``label_dy``) rather than stored as JSON (two
  exceptions: ``map.evolution_labels`` and ``assessments.map_snapshot``);
* lists keep their order in a ``position`` column (0, 1, 2, ...);
* ``id`` is the primary key wherever the model has a stable id, and references
  between tables are declared as foreign keys (for documentation and tools; the
  reader checks the references it depends on itself);
* booleans are 0/1 integers, dates ISO-8601 text (``2024-05-31``), times ISO-8601
  text with their UTC offset, enums their string value;
* a value that is ``None`` in the model is SQL ``NULL``; an empty string stays ``''``.
* no STRICT tables: they cannot be read by SQLite older than 3.37 (still common in
  LTS distributions); the reader checks every value's type itself anyway, because a
  file from elsewhere can hold anything whatever its declared types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from typing import Any

from pydantic import ConfigDict, TypeAdapter

from osom_desktop.model.service import (
    AssessmentKind,
    AssessmentOutcome,
    CoEStatus,
    CorrectiveActionStatus,
    DecisionStatus,
    EvolutionStage,
    LifecycleStage,
    MandateStatus,
    MeasureDirection,
    RecordingFrequency,
)
from osom_desktop.model.wardley import (
    AcceleratorKind,
    AreaKind,
    ComponentKind,
    FlowDirection,
    Method,
    RawKind,
    WardleyMap,
)

# PRAGMA application_id: b"OSOM" read as a big-endian 32-bit integer (0x4F534F4D).
# `file(1)` and tools that list SQLite application ids can tell our files apart.
APPLICATION_ID = int.from_bytes(b"OSOM", "big")

# PRAGMA user_version of the files this code writes. Older files are migrated in
# memory on open (see migrations.py); newer ones are refused.
SCHEMA_VERSION = 5

# How ``assessments.map_snapshot`` holds a map: pydantic's JSON of the dataclasses
# (dump_json to write, validate_json to read; both in Rust). ``WardleyMap | None``
# only because a config cannot be given for a bare dataclass: NaN is written as the
# constant NaN, which the reader refuses, rather than as null, which it would read
# back as "no value" for an optional coordinate (a silent change). defer_build: its
# validator is built on first use, not at import: generating the map's schema costs
# ~10 ms, paid by every ``osom check`` process of a shell loop (issue 11) though only
# files with assessment snapshots use it. The rules are the same once built.
MAP_JSON: TypeAdapter[WardleyMap | None] = TypeAdapter(
    WardleyMap | None, config=ConfigDict(ser_json_inf_nan="constants", defer_build=True)
)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its SQL type, whether NULL is allowed, and what values are valid.

    ``sql_type`` is the Python type sqlite-utils maps to a column type
    (str -> TEXT, float -> FLOAT (REAL affinity), int -> INTEGER).
    """

    name: str
    sql_type: type
    nullable: bool = False
    boolean: bool = False  # 0 or 1
    choices: tuple[str, ...] | None = None  # enum values

    def check_sql(self) -> str:
        """An SQL expression true when the column's value is acceptable.

        Uses only ``typeof`` and ``IN`` (built-ins), so it runs the same on a hostile
        file as on ours and cannot call anything the file defines.
        """
        col = quote(self.name)
        if self.boolean:
            expr = f"typeof({col}) = 'integer' AND {col} IN (0, 1)"
        elif self.choices is not None:
            values = ", ".join(sql_string(v) for v in self.choices)
            expr = f"typeof({col}) = 'text' AND {col} IN ({values})"
        elif self.sql_type is str:
            expr = f"typeof({col}) = 'text'"
        elif self.sql_type is float:
            expr = f"typeof({col}) IN ('real', 'integer')"
        elif self.sql_type is int:
            expr = f"typeof({col}) = 'integer'"
        else:  # pragma: no cover - a mistake in the declaration below
            raise TypeError(self.sql_type)
        if self.nullable:
            return f"({col} IS NULL OR ({expr}))"
        return f"({expr})"

    def select_sql(self) -> str:
        """How the reader selects the column: REAL columns always come back as float.

        Always named ``AS`` the column, so the column is called by its own name wherever
        the select is read by name (a bare ``CAST(...)`` would be named by its text).
        """
        col = quote(self.name)
        return f"CAST({col} AS REAL) AS {col}" if self.sql_type is float else col

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not acceptable (the Python mirror of ``check_sql``)."""
        if value is None:
            return None if self.nullable else "a value is required"
        if self.boolean:
            ok = type(value) is int and value in (0, 1)
            return None if ok else "expected 0 or 1"
        if self.choices is not None:
            ok = isinstance(value, str) and value in self.choices
            return None if ok else "expected one of " + ", ".join(self.choices)
        fits, expected = _TYPE_CHECKS.get(self.sql_type, (lambda v: False, "unexpected value"))
        return None if fits(value) else expected


# What a value of each column type must be (``Column.problem``), and the message if not.
_TYPE_CHECKS: dict[type, tuple[Callable[[object], bool], str]] = {
    str: (lambda v: isinstance(v, str), "expected text"),
    float: (lambda v: type(v) in (int, float), "expected a number"),
    int: (lambda v: type(v) is int, "expected an integer"),
}


@dataclass(frozen=True, slots=True)
class Table:
    """One table: columns in order, primary key, foreign keys (column, table, column)."""

    name: str
    columns: tuple[Column, ...]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def key_columns(self) -> tuple[str, ...]:
        return (self.pk,) if isinstance(self.pk, str) else self.pk

    def select_sql(self) -> str:
        """``SELECT`` of every column, each named as declared, in list order.

        The reader gets rows by these names (``row["evolution"]``), never by position,
        so the order of ``columns`` is free: it only decides the order a person sees in
        the sqlite3 shell.
        """
        names = self.column_names
        order = ["position"] if "position" in names else list(self.key_columns)
        select = ", ".join(c.select_sql() for c in self.columns)
        return f"SELECT {select} FROM {quote(self.name)} ORDER BY {', '.join(quote(k) for k in order)}"

    def getter(self, *names: str) -> Callable[[Sequence[Any]], tuple[Any, ...]]:  # a tuple or sqlite3.Row
        """Takes the named columns out of a row selected by ``select_sql``, in the order
        named. Positions are found by name once, here; for the tables with thousands of
        rows (components, links), where ``row["name"]`` per value costs a third of an open.
        """
        if len(names) < 2:  # itemgetter of one position returns the value, not a tuple
            raise ValueError("name at least two columns")
        columns = self.column_names  # built once, not once a name
        return itemgetter(*(columns.index(n) for n in names))

    def insert_sql(self) -> str:
        """``INSERT`` of every column, its values given in ``column_names`` order.

        The writer builds each row as ``{column: value}`` and takes the values out by
        these names (``operator.itemgetter``), so it does not depend on the order of
        ``columns`` either. Not SQLite's named parameters: binding ``:name`` looks each
        name up in the dict through a new Python string, 24 per component, which made
        a 1,000-component save 40 % slower.
        """
        columns = ", ".join(quote(c.name) for c in self.columns)
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {quote(self.name)} ({columns}) VALUES ({marks})"


def quote(identifier: str) -> str:
    """Quote an identifier for SQL (columns such as ``end`` and ``left`` are keywords)."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _enum(e: type[Enum]) -> tuple[str, ...]:
    return tuple(str(m.value) for m in e)


def text(name: str, nullable: bool = False) -> Column:
    return Column(name, str, nullable)


def real(name: str, nullable: bool = False) -> Column:
    return Column(name, float, nullable)


def integer(name: str, nullable: bool = False) -> Column:
    return Column(name, int, nullable)


def boolean(name: str, nullable: bool = False) -> Column:
    return Column(name, int, nullable, boolean=True)


def choice(name: str, e: type[Enum], nullable: bool = False) -> Column:
    return Column(name, str, nullable, choices=_enum(e))


POSITION = integer("position")

# -- the service and its contract ------------------------------------------------------

SERVICE = Table(
    "service",
    (text("id"), text("name"), text("manager"), choice("lifecycle", LifecycleStage)),
    pk="id",
)

CONTRACT = Table(
    "contract",
    (
        text("service_id"),
        text("purpose"),
        choice("evolution_stage", EvolutionStage, nullable=True),
        text("usage"),
        text("expectations_success"),
        text("expectations_failure"),
        text("help"),
    ),
    pk="service_id",
    foreign_keys=(("service_id", "service", "id"),),
)

USER_NEEDS = Table("user_needs", (POSITION, text("text")), pk="position")

MEASURES = Table(
    "measures",
    (
        text("id"),
        POSITION,
        text("name"),
        text("unit"),
        real("target", nullable=True),
        choice("direction", MeasureDirection),
        # Version 5: how often the measure should be recorded (NULL: no promise), and
        # whether it records money spent (summed against the budgets).
        choice("frequency", RecordingFrequency, nullable=True),
        boolean("cost"),
    ),
    pk="id",
)

# Version 5: money the executive allocated to the service, per period (dates inclusive).
BUDGETS = Table(
    "budgets",
    (text("id"), POSITION, text("start"), text("end"), real("amount"), text("unit"), text("allocated_by"), text("note")),
    pk="id",
)

MEASURE_VALUES = Table(
    "measure_values",
    (text("measure_id"), POSITION, text("date"), real("value"), text("note")),
    pk=("measure_id", "position"),
    foreign_keys=(("measure_id", "measures", "id"),),
)

DEPENDENCIES = Table(
    "dependencies",
    (
        text("id"),
        POSITION,
        text("service_name"),
        text("service_id", nullable=True),
        text("description"),
    ),
    pk="id",
)

# -- the map -------------------------------------------------------------------------

MAP = Table(
    "map",
    (
        text("service_id"),
        text("title", nullable=True),
        # A short JSON array of strings (``evolution a->b->c->d``), or NULL when the map
        # uses the standard labels. The one JSON value in the file: a table of four
        # labels plus a "has custom labels" flag would be harder to read, not easier.
        text("evolution_labels", nullable=True),
        text("style", nullable=True),
        real("annotations_legend_visibility", nullable=True),
        real("annotations_legend_evolution", nullable=True),
    ),
    pk="service_id",
    foreign_keys=(("service_id", "service", "id"),),
)

COMPONENTS = Table(
    "components",
    (
        text("id"),
        POSITION,
        text("name"),
        choice("kind", ComponentKind),
        real("visibility", nullable=True),
        real("evolution", nullable=True),
        real("label_dx", nullable=True),
        real("label_dy", nullable=True),
        choice("method", Method, nullable=True),
        boolean("inertia"),
        boolean("market"),
        boolean("ecosystem"),
        # evolve_evolution NULL = no evolve line; the other evolve_* columns are then NULL.
        real("evolve_evolution", nullable=True),
        text("evolve_name", nullable=True),
        real("evolve_label_dx", nullable=True),
        real("evolve_label_dy", nullable=True),
        choice("evolve_method", Method, nullable=True),
        boolean("evolve_market", nullable=True),
        boolean("evolve_ecosystem", nullable=True),
        text("url_ref", nullable=True),
        text("pipeline_id", nullable=True),
        text("description"),
        # provided_by_name NULL = no providing service recorded.
        text("provided_by_name", nullable=True),
        text("provided_by_service_id", nullable=True),
    ),
    pk="id",
    # pipelines are created after components (they refer to them): the writer adds
    # this foreign key once both tables exist.
    foreign_keys=(("pipeline_id", "pipelines", "id"),),
)

LINKS = Table(
    "links",
    (
        text("id"),
        POSITION,
        text("source"),
        text("target"),
        text("context", nullable=True),
        choice("flow", FlowDirection, nullable=True),
        text("flow_value", nullable=True),
        boolean("source_evolved"),
        boolean("target_evolved"),
    ),
    pk="id",
    foreign_keys=(("source", "components", "id"), ("target", "components", "id")),
)

PIPELINES = Table(
    "pipelines",
    (
        text("id"),
        POSITION,
        text("component_id"),
        real("start", nullable=True),
        real("end", nullable=True),
        boolean("block"),
    ),
    pk="id",
    foreign_keys=(("component_id", "components", "id"),),
)

NOTES = Table(
    "notes",
    (text("id"), POSITION, text("text"), real("visibility"), real("evolution")),
    pk="id",
)

ANNOTATIONS = Table(
    "annotations",
    (text("id"), POSITION, integer("number"), text("text")),
    pk="id",
)

ANNOTATION_POINTS = Table(
    "annotation_points",
    (text("annotation_id"), POSITION, real("visibility"), real("evolution")),
    pk=("annotation_id", "position"),
    foreign_keys=(("annotation_id", "annotations", "id"),),
)

AREAS = Table(
    "areas",
    (
        text("id"),
        POSITION,
        choice("kind", AreaKind),
        real("top"),
        real("left"),
        real("bottom"),
        real("right"),
    ),
    pk="id",
)

ACCELERATORS = Table(
    "accelerators",
    (
        text("id"),
        POSITION,
        choice("kind", AcceleratorKind),
        text("name"),
        real("visibility"),
        real("evolution"),
    ),
    pk="id",
)

URLS = Table("urls", (text("id"), POSITION, text("name"), text("url")), pk="id")

RAW_LINES = Table(
    "raw_lines",
    (text("id"), POSITION, text("text"), choice("kind", RawKind)),
    pk="id",
)

# The order of elements in the OWM text: element ids, "<id>#evolve", "title", ...
LAYOUT = Table("layout", (POSITION, text("slot")), pk="position")

# The OWM line each element was read from, reused while the element is unchanged
# (storage/owm_text.py). ``covers``: other slots the same line holds, one per line.
OWM_LINES = Table(
    "owm_lines",
    (text("slot"), POSITION, text("text"), text("fingerprint"), text("covers"), text("keep")),
    pk="slot",
)

# Map settings only OWM text has: ``size [w, h]``, ``evolution --hide``, ``valuechain --hide``.
OWM_SETTINGS = Table(
    "owm_settings",
    (
        text("service_id"),
        real("size_width", nullable=True),
        real("size_height", nullable=True),
        boolean("evolution_axis_hidden"),
        boolean("value_chain_hidden"),
    ),
    pk="service_id",
    foreign_keys=(("service_id", "service", "id"),),
)

# -- governance records --------------------------------------------------------------

DECISIONS = Table(
    "decisions",
    (
        text("id"),
        POSITION,
        # The guidance item as it was when decided (a snapshot, not a reference).
        text("guidance_id"),
        text("guidance_version"),
        text("guidance_title"),
        text("guidance_text"),
        text("guidance_source"),
        text("guidance_published", nullable=True),
        choice("status", DecisionStatus),
        text("reason"),
        text("alternative"),
        text("accepted_risk"),
        text("decided_by"),
        text("decided_on"),
        text("review_by", nullable=True),
    ),
    pk="id",
)

ASSESSMENTS = Table(
    "assessments",
    (
        text("id"),
        POSITION,
        text("date"),
        choice("kind", AssessmentKind),
        choice("from_stage", LifecycleStage, nullable=True),
        choice("to_stage", LifecycleStage, nullable=True),
        choice("outcome", AssessmentOutcome),
        text("notes"),
        integer("map_revision", nullable=True),
        # The map as it was when the assessment was recorded, as the JSON of
        # ``TypeAdapter(WardleyMap)`` (NULL: none kept). Added in schema version 2. The
        # second JSON value in the file: an old map is only ever read whole, to compare
        # it with the current one, and flattening it into a copy of every map table
        # keyed by assessment would double the schema for no reader's benefit.
        text("map_snapshot", nullable=True),
        # OSOM's report (version 4): the scale the decisions are on ('' before it) and
        # the stage-specific outcome ("progress to alpha").
        text("scale"),
        text("stage_outcome"),
    ),
    pk="id",
)

# One row per criterion assessed (version 4); title and set copied as assessed.
ASSESSMENT_RESULTS = Table(
    "assessment_results",
    (
        text("assessment_id"),
        POSITION,
        text("criterion_id"),
        text("criteria_set"),
        text("title"),
        text("decision"),
        text("done_well"),
        text("to_improve"),
    ),
    pk=("assessment_id", "position"),
    foreign_keys=(("assessment_id", "assessments", "id"),),
)

ASSESSMENT_ACTIONS = Table(
    "assessment_actions",
    (
        text("id"),
        text("assessment_id"),
        POSITION,
        text("text"),
        text("owner"),
        text("due"),
        text("criterion_id"),
        text("closed_on", nullable=True),
        text("closing_note"),
    ),
    pk="id",
    foreign_keys=(("assessment_id", "assessments", "id"),),
)

# Correction of Error documents (version 4).
COES = Table(
    "coes",
    (
        text("id"),
        POSITION,
        text("title"),
        text("author"),
        text("written_on"),
        text("problem"),
        text("impact"),
        text("root_cause"),
        text("supporting_data"),
        text("tradeoffs_made"),
        text("tradeoffs_to_avoid"),
        text("lessons"),
        text("doctrine_helped"),
        text("doctrine_hurt"),
        choice("status", CoEStatus),
        text("published_on", nullable=True),
        text("reviewed_by"),
        text("reviewed_on", nullable=True),
        text("review_outcome"),
    ),
    pk="id",
)

COE_ACTIONS = Table(
    "coe_actions",
    (text("coe_id"), POSITION, text("text"), choice("status", CorrectiveActionStatus), text("date", nullable=True)),
    pk=("coe_id", "position"),
    foreign_keys=(("coe_id", "coes", "id"),),
)

# Mandates the executive issued to this service, as issued, with the response (version 4).
MANDATES = Table(
    "mandates",
    (
        text("id"),
        POSITION,
        text("title"),
        text("text"),
        text("issued"),
        text("due", nullable=True),
        choice("status", MandateStatus),
        text("response"),
        text("responded_on", nullable=True),
    ),
    pk="id",
)

MANDATE_COMPONENTS = Table(
    "mandate_components",
    (text("mandate_id"), POSITION, text("name")),
    pk=("mandate_id", "position"),
    foreign_keys=(("mandate_id", "mandates", "id"),),
)

UNMET_NEEDS = Table(
    "unmet_needs",
    (text("id"), POSITION, text("need"), text("asked_by"), text("noted_on"), text("note")),
    pk="id",
)

# The tables version 4 added, in creation order (the migration creates them).
GOVERNANCE_TABLES: tuple[Table, ...] = (
    ASSESSMENT_RESULTS,
    ASSESSMENT_ACTIONS,
    COES,
    COE_ACTIONS,
    MANDATES,
    MANDATE_COMPONENTS,
    UNMET_NEEDS,
)

ASSESSORS = Table(
    "assessors",
    (text("assessment_id"), POSITION, text("name")),
    pk=("assessment_id", "position"),
    foreign_keys=(("assessment_id", "assessments", "id"),),
)

CONTRACT_CHANGES = Table(
    "contract_changes",
    (text("id"), POSITION, text("date"), text("reason"), text("summary"), text("author")),
    pk="id",
)

REVISIONS = Table(
    "revisions",
    (
        integer("number"),
        text("saved_at"),
        text("author"),
        text("summary"),
        text("fingerprint"),
    ),
    pk="number",
)

# What the file is and who wrote it, for a person opening it in another tool, and how
# its fingerprints were computed: key/value rows ("format", "written_by", "fingerprint").
FILE_INFO = Table("file_info", (text("key"), text("value")), pk="key")

# Creation order: every table after the tables its foreign keys name, except the
# components <-> pipelines pair.
TABLES: tuple[Table, ...] = (
    FILE_INFO,
    SERVICE,
    CONTRACT,
    USER_NEEDS,
    MEASURES,
    MEASURE_VALUES,
    DEPENDENCIES,
    MAP,
    COMPONENTS,
    LINKS,
    PIPELINES,
    NOTES,
    ANNOTATIONS,
    ANNOTATION_POINTS,
    AREAS,
    ACCELERATORS,
    URLS,
    RAW_LINES,
    LAYOUT,
    OWM_LINES,
    OWM_SETTINGS,
    DECISIONS,
    ASSESSMENTS,
    ASSESSORS,
    *GOVERNANCE_TABLES,
    BUDGETS,
    CONTRACT_CHANGES,
    REVISIONS,
)
