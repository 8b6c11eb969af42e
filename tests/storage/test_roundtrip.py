"""What save writes, open gives back equal: every field, every element kind, every order."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osom_desktop.model import (
    Annotation,
    Component,
    ComponentKind,
    Evolve,
    FlowDirection,
    Link,
    Method,
    Note,
    Offset,
    ServiceDocument,
    ServiceRef,
    WardleyMap,
)
from osom_desktop.storage import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    document_fingerprint,
    open_document,
    save_document,
)
from osom_desktop.storage.schema import TABLES
from tests.property_settings import examples
from tests.storage.files import Snapshot
from tests.storage.generate import large_document, rich_document


def test_rich_document_round_trips_equal(tmp_path: Path) -> None:
    doc = rich_document()
    path = tmp_path / "tea.osom"
    revision = save_document(doc, path, author="Åsa", summary="first save\nof the tea service")

    opened = open_document(path)

    assert opened == doc
    # == on the pydantic model compares the map dataclasses too; check a few by hand
    # so a broken __eq__ could not hide a loss.
    assert opened.map.components[1].evolve == doc.map.components[1].evolve
    assert opened.map.annotations[0].points == [(0.48, 0.85), (0.15, 0.65), (0.33, 0.2)]
    assert isinstance(opened.map.annotations[0].points[0], tuple)
    assert opened.map.components[0].kind is ComponentKind.ANCHOR
    assert opened.map.layout == doc.map.layout
    assert opened.revisions[-1] == revision
    assert revision.number == 3  # the rich document arrived with two revisions
    assert revision.fingerprint == document_fingerprint(doc)
    assert revision.saved_at.tzinfo is not None and revision.saved_at.utcoffset() == dt.timedelta(0)


def test_none_and_empty_text_stay_distinct(tmp_path: Path) -> None:
    doc = ServiceDocument()
    doc.map = WardleyMap(
        title="",
        evolution_labels=[],
        style="",
        components=[
            Component(id="a", name="A", url_ref="", description="", provided_by=ServiceRef(name="")),
            Component(id="b", name="B", url_ref=None, provided_by=None, label=Offset(dx=0.0, dy=0.0)),
            Component(id="c", name="C", evolve=Evolve(evolution=0.5, name="", label=None)),
        ],
        links=[
            Link(id="l1", source="a", target="b", context="", flow=FlowDirection.BOTH, flow_value=""),
            Link(id="l2", source="a", target="b", context=None, flow=None, flow_value=None),
        ],
        annotations_legend=(0.0, 0.0),
    )
    path = tmp_path / "empty-vs-none.osom"
    save_document(doc, path)
    opened = open_document(path)
    assert opened == doc
    assert opened.map.title == "" and opened.map.evolution_labels == []
    assert opened.map.components[0].url_ref == "" and opened.map.components[1].url_ref is None
    assert opened.map.components[0].provided_by == ServiceRef(name="")
    assert opened.map.components[2].evolve is not None and opened.map.components[2].evolve.name == ""
    assert opened.map.links[0].context == "" and opened.map.links[1].context is None


def test_empty_document_round_trips(tmp_path: Path) -> None:
    doc = ServiceDocument()
    save_document(doc, tmp_path / "new.osom")
    assert open_document(tmp_path / "new.osom") == doc


def test_large_document_round_trips(tmp_path: Path) -> None:
    doc = large_document(2000, seed=7)
    save_document(doc, tmp_path / "big.osom")
    assert open_document(tmp_path / "big.osom") == doc


def test_revisions_accumulate_and_only_one_file_remains(tmp_path: Path) -> None:
    path = tmp_path / "svc.osom"
    doc = ServiceDocument()
    first = save_document(doc, path, author="a", summary="one")
    doc.service.name = "Renamed"
    second = save_document(doc, path, author="b", summary="two")

    reopened = open_document(path)
    third = save_document(reopened, path, author="c", summary="three")

    final = open_document(path)
    assert [r.number for r in final.revisions] == [1, 2, 3]
    assert [(r.author, r.summary) for r in final.revisions] == [("a", "one"), ("b", "two"), ("c", "three")]
    assert final.revisions == [first, second, third]
    assert first.fingerprint != second.fingerprint  # the content changed
    assert second.fingerprint == third.fingerprint  # it did not
    assert sorted(os.listdir(tmp_path)) == ["svc.osom"]


def test_opening_never_modifies_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    before = Snapshot.of(path)
    open_document(path)
    open_document(path)
    assert Snapshot.of(path) == before


def test_file_is_plain_sqlite_with_real_tables(tmp_path: Path) -> None:
    """Another program (sqlite3 shell, Datasette) sees ordinary tables and one file."""
    path = tmp_path / "tea.osom"
    save_document(rich_document(), path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x4F534F4D
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {t.name for t in TABLES}
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')").fetchone() == (0,)
        rows = conn.execute('SELECT id, name, kind, method, evolve_name FROM components ORDER BY position LIMIT 2').fetchall()
        assert rows == [("c-user", "Résident 👩‍💻", "anchor", None, None), ("c-kettle", "Kettle", "component", "build", "Electric Kettle")]
        assert conn.execute("SELECT name FROM service").fetchone() == ("Tea for 🫖 everyone",)
        assert conn.execute("SELECT guidance_id, status FROM decisions ORDER BY position").fetchall() == [
            ("GDS-12", "rejected"),
            ("GDS-7", "accepted"),
        ]
        fks = {(r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_list(links)")}
        assert fks == {("components", "source"), ("components", "target")}
        assert {r[2] for r in conn.execute("PRAGMA foreign_key_list(components)")} == {"pipelines"}
    finally:
        conn.close()
    assert sorted(os.listdir(tmp_path)) == ["tea.osom"]


def test_fingerprint_ignores_revisions_and_negative_zero() -> None:
    doc = rich_document()
    fp = document_fingerprint(doc)
    doc.revisions = []
    assert document_fingerprint(doc) == fp
    doc.map.notes[0].visibility = -0.0
    with_negative_zero = document_fingerprint(doc)
    doc.map.notes[0].visibility = 0.0
    assert document_fingerprint(doc) == with_negative_zero
    doc.map.notes[0].visibility = 0.5
    assert document_fingerprint(doc) != with_negative_zero


# -- generated maps ------------------------------------------------------------------

_floats = st.floats(allow_nan=False, width=64)
_opt_floats = st.none() | _floats
_text = st.text(max_size=20)
_opt_text = st.none() | _text
_offsets = st.none() | st.builds(Offset, dx=_floats, dy=_floats)


@st.composite
def _maps(draw: st.DrawFn) -> WardleyMap:
    n = draw(st.integers(0, 6))
    ids = [f"c{i}" for i in range(n)]
    components = [
        Component(
            id=cid,
            name=draw(_text),
            kind=draw(st.sampled_from(ComponentKind)),
            visibility=draw(_opt_floats),
            evolution=draw(_opt_floats),
            label=draw(_offsets),
            method=draw(st.none() | st.sampled_from(Method)),
            inertia=draw(st.booleans()),
            market=draw(st.booleans()),
            ecosystem=draw(st.booleans()),
            evolve=draw(
                st.none()
                | st.builds(
                    Evolve,
                    evolution=_floats,
                    name=_opt_text,
                    label=_offsets,
                    method=st.none() | st.sampled_from(Method),
                    market=st.booleans(),
                    ecosystem=st.booleans(),
                )
            ),
            url_ref=draw(_opt_text),
            description=draw(_text),
            provided_by=draw(st.none() | st.builds(ServiceRef, name=_text, service_id=_opt_text)),
        )
        for cid in ids
    ]
    links = []
    if ids:
        for j in range(draw(st.integers(0, 6))):
            links.append(
                Link(
                    id=f"l{j}",
                    source=draw(st.sampled_from(ids)),
                    target=draw(st.sampled_from(ids)),
                    context=draw(_opt_text),
                    flow=draw(st.none() | st.sampled_from(FlowDirection)),
                    flow_value=draw(_opt_text),
                    source_evolved=draw(st.booleans()),
                    target_evolved=draw(st.booleans()),
                )
            )
    notes = [Note(id=f"n{k}", text=draw(_text), visibility=draw(_floats), evolution=draw(_floats)) for k in range(draw(st.integers(0, 3)))]
    annotations = [
        Annotation(
            id=f"a{k}",
            number=draw(st.integers(-(2**63), 2**63 - 1)),
            points=draw(st.lists(st.tuples(_floats, _floats), max_size=3)),
            text=draw(_text),
        )
        for k in range(draw(st.integers(0, 2)))
    ]
    return WardleyMap(
        title=draw(_opt_text),
        evolution_labels=draw(st.none() | st.lists(_text, max_size=4)),
        style=draw(_opt_text),
        annotations_legend=draw(st.none() | st.tuples(_floats, _floats)),
        components=components,
        links=links,
        notes=notes,
        annotations=annotations,
        layout=draw(st.lists(_text, max_size=5)),
    )


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=_maps())
def test_generated_maps_round_trip(tmp_path: Path, m: WardleyMap) -> None:
    doc = ServiceDocument(map=m)
    path = tmp_path / "generated.osom"
    save_document(doc, path)
    assert open_document(path) == doc
