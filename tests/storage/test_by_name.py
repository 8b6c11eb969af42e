"""The .osom file is read and written by column name: schema.py's column order is free.

Each test declares the tables with their columns in another order (as someone tidying
schema.py, or adding a column in the middle of a table, would) and checks that a
document still comes back equal. Code that reads ``row[12]`` or writes tuples in
declaration order reads the wrong values, or refuses the file, as soon as the order
changes; code that goes by name does not notice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from osom_desktop.model.service import Budget, RecordingFrequency, ServiceDocument
from osom_desktop.storage import open_document, save_document
from osom_desktop.storage import schema as s
from osom_desktop.storage.network_read import read_network_document
from osom_desktop.storage.summary import read_summary
from osom_desktop.storage.writer import schema_template
from tests.governance.records import governed_document
from tests.storage.generate import rich_document


def every_record() -> ServiceDocument:
    """A document with a row in every table: the rich map and contract, the governance
    records (criterion results, actions, CoEs, mandates, unmet needs) and a budget."""
    doc = rich_document()
    governed = governed_document()
    doc.assessments.extend(governed.assessments)
    doc.coes.extend(governed.coes)
    doc.mandates.extend(governed.mandates)
    doc.unmet_needs.extend(governed.unmet_needs)
    doc.contract.measures[0].frequency = RecordingFrequency.MONTHLY
    doc.contract.measures[2].cost = True
    doc.budgets.append(Budget(id="b1", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), amount=1200.5,
                              unit="GBP", allocated_by="Exec One", note="for kettles"))
    return doc


def _declare(monkeypatch: pytest.MonkeyPatch, reorder: Callable[[s.Table], s.Table]) -> None:
    """Replace every table declared in schema.py by ``reorder(table)``, for this test only."""
    replaced: dict[str, s.Table] = {}
    for name, value in list(vars(s).items()):
        if isinstance(value, s.Table):
            replaced[value.name] = reorder(value)
            monkeypatch.setattr(s, name, replaced[value.name])
    monkeypatch.setattr(s, "TABLES", tuple(replaced[t.name] for t in s.TABLES))
    monkeypatch.setattr(s, "GOVERNANCE_TABLES", tuple(replaced[t.name] for t in s.GOVERNANCE_TABLES))
    # The writer builds its empty database from the declaration once per process.
    schema_template.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_template() -> Iterator[None]:
    schema_template.cache_clear()
    yield
    schema_template.cache_clear()  # the next test gets the real declaration's template


def reversed_columns(table: s.Table) -> s.Table:
    return dataclasses.replace(table, columns=tuple(reversed(table.columns)))


def rotated_columns(table: s.Table) -> s.Table:
    """The first column moved to the end: every other column's position shifts by one,
    as when a column is inserted near the top of a table."""
    return dataclasses.replace(table, columns=table.columns[1:] + table.columns[:1])


@pytest.mark.parametrize("reorder", [reversed_columns, rotated_columns])
def test_a_file_written_in_the_usual_column_order_opens_with_the_columns_declared_in_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reorder: Callable[[s.Table], s.Table]
) -> None:
    doc = every_record()
    path = tmp_path / "tea.osom"
    save_document(doc, path, author="Åsa")

    _declare(monkeypatch, reorder)
    opened = open_document(path)

    assert opened == doc
    assert opened.map.components[1].evolve == doc.map.components[1].evolve
    assert opened.coes[0].root_cause == "Expired certificate"
    summary = read_summary(path)
    assert (summary.name, summary.manager) == (doc.service.name, doc.service.manager)
    assert [d.service_name for d in summary.dependencies] == ["Appliances", "Water board"]
    light = read_network_document(path)  # the network window's read: its own SELECTs
    assert light.map.components == doc.map.components
    assert light.contract == doc.contract


@pytest.mark.parametrize("reorder", [reversed_columns, rotated_columns])
def test_a_file_written_with_the_columns_declared_in_another_order_opens_as_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reorder: Callable[[s.Table], s.Table]
) -> None:
    doc = every_record()
    path = tmp_path / "tea.osom"
    _declare(monkeypatch, reorder)
    save_document(doc, path, author="Åsa")
    assert open_document(path) == doc  # read with the same (reordered) declaration

    monkeypatch.undo()  # and with the real one, as the next version of the app would
    schema_template.cache_clear()
    opened = open_document(path)
    assert opened == doc
    assert opened.contract.measures[0].values[0].value == 190.5


def test_the_writer_refuses_a_row_that_does_not_match_its_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A column declared but not written (or written but not declared) is a mistake in
    the code, said at once, rather than a value silently lost or a file with NULLs."""
    extra = s.text("colour", nullable=True)
    _declare(monkeypatch, lambda t: dataclasses.replace(t, columns=(*t.columns, extra)) if t.name == "urls" else t)
    with pytest.raises(ValueError, match=r"urls do not match schema.py: missing \['colour'\]"):
        save_document(rich_document(), tmp_path / "tea.osom")
