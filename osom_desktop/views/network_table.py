"""The network window's two tables: the services (one row a service, sortable, with its
counts) and the rejected guidance across the network.

Both are filled in steps of ``TABLE_SLICE`` rows, one step per event-loop turn (the
window runs them), so a large folder never holds the GUI thread long: a 200-row
services table in one go held it ~70 ms on a busy machine, 3,000 rejections a quarter
of a second. Every item carries its service's id (``ID_ROLE``), whatever the sorting.

Text columns sort as a person reads them (``SortedItem``): "service-2" before
"service-10", case ignored, lifecycle and evolution stages in their own order; the
counts sort as numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from osom_desktop.analysis.directory import natural_key
from osom_desktop.analysis.network_layout import VOCABULARY
from osom_desktop.model.service import EvolutionStage, LifecycleStage

# (row key, header, numeric)
TABLE_COLUMNS = [
    ("name", "Service", False),
    ("lifecycle", "Lifecycle", False),
    ("evolution_stage", "Evolution", False),
    ("manager", "Manager", False),
    ("dependencies", VOCABULARY["dependencies"], True),
    ("dependents", VOCABULARY["dependents"], True),
    ("affected", VOCABULARY["affected"], True),
    ("findings", VOCABULARY["findings"], True),
    ("rejected_guidance", "Rejected guidance", True),
    ("last_assessment", "Last assessment", False),
    ("path", "File", False),
]
GUIDANCE_COLUMNS = [
    ("guidance_id", "Item"), ("version", "Version"), ("title", "Title"), ("service", "Service"),
    ("decided_on", "Decided on"), ("review_by", "Review by"), ("state", "State"),
    ("reason", "Reason"), ("alternative", "Alternative"), ("accepted_risk", "Accepted risk"),
]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 4  # the text column's sort key (``SortedItem``)
TABLE_SLICE = 50  # rows filled per event-loop turn (11 items a row)

Step = Callable[[], object]


def one_line(text: object) -> str:
    """A value as one line of text (a name with a newline must not make a row two lines tall)."""
    return " ".join(str(text).split())


def make_services_table() -> QTableWidget:
    table = QTableWidget(0, len(TABLE_COLUMNS))
    table.setHorizontalHeaderLabels([h for _, h, _ in TABLE_COLUMNS])
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt's default indicator is descending
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def make_guidance_table() -> QTableWidget:
    table = QTableWidget(0, len(GUIDANCE_COLUMNS))
    table.setHorizontalHeaderLabels([h for _, h in GUIDANCE_COLUMNS])
    table.setSortingEnabled(True)
    # As the services table: Qt's default is descending, and the table opened G-39 first.
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def service_id_at(table: QTableWidget, row: int) -> str | None:
    """The id of the service on a row of either table (None: no such row)."""
    item = table.item(row, 0)
    return item.data(ID_ROLE) if item is not None else None


class SortedItem(QTableWidgetItem):
    """A text cell sorting by its key, not its text: Qt compares the text, so "service-10"
    came before "service-2" and "Zebra" before "alpha". The key is also kept on the
    Python item, as reading it back through Qt for each of 20,000 comparisons took three
    times as long (46 ms, not 15, for 2,000 rows)."""

    def __init__(self, text: str, key: str | None = None) -> None:
        super().__init__(text)
        self.key = natural_key(text) if key is None else key
        self.setData(SORT_ROLE, self.key)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        theirs = getattr(other, "key", None)
        if theirs is None:
            theirs = other.data(SORT_ROLE)
        return self.key < theirs if isinstance(theirs, str) else super().__lt__(other)


def _stage_key(value: str, stages: list[str]) -> str:
    """A stage sorts in its order (discovery before alpha before live; genesis before
    commodity), an unknown one after them by name."""
    return f"{stages.index(value):02d}" if value in stages else f"99{natural_key(value)}"


# Text columns not in name order: where a stage comes in a service's life or evolution.
_KEYS: dict[str, Callable[[str], str]] = {
    "lifecycle": partial(_stage_key, stages=[str(s) for s in LifecycleStage]),
    "evolution_stage": partial(_stage_key, stages=[str(s) for s in EvolutionStage]),
}


def _service_item(value: Any, numeric: bool, key: str = "") -> QTableWidgetItem:
    if numeric:
        item = QTableWidgetItem()
        # A number, so the column sorts 2 before 10.
        item.setData(Qt.ItemDataRole.DisplayRole, int(value or 0))
        return item
    text = "" if value is None else one_line(value)
    order = _KEYS.get(key)
    return SortedItem(text, order(text) if order is not None and text else None)


def _grow_to(table: QTableWidget, rows: int) -> None:
    """Rows are added as they are filled: no row is ever shown (or read) without its items.
    Rows of the previous answer are filled over, never emptied first (see ``_steps``)."""
    if table.rowCount() < rows:
        table.setRowCount(rows)


def _fill_services(table: QTableWidget, rows: Sequence[Mapping[str, Any]], first: int) -> None:
    _grow_to(table, min(first + TABLE_SLICE, len(rows)))
    for r in range(first, min(first + TABLE_SLICE, len(rows))):
        row = rows[r]
        for c, (key, _header, numeric) in enumerate(TABLE_COLUMNS):
            item = _service_item(row.get(key), numeric, key)
            item.setData(ID_ROLE, row["service_id"])
            table.setItem(r, c, item)


def guidance_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """A rejection's cells: its own values, its state in words and "—" for no review date."""
    state = []
    if row["review_overdue"]:
        state.append(f"review overdue since {row['review_by']}")
    if row["newer_version"]:
        state.append(f"version {row['newer_version']} now in use")
    return {**row, "state": "; ".join(state) or "—", "review_by": row["review_by"] or "—"}


def _fill_guidance(table: QTableWidget, rows: Sequence[Mapping[str, Any]], first: int) -> None:
    _grow_to(table, min(first + TABLE_SLICE, len(rows)))
    for r in range(first, min(first + TABLE_SLICE, len(rows))):
        row = rows[r]
        values = guidance_values(row)
        for c, (key, _h) in enumerate(GUIDANCE_COLUMNS):
            item = SortedItem(one_line(values.get(key) or ""))
            item.setData(ID_ROLE, row["service_id"])
            item.setToolTip(one_line(values.get(key) or ""))
            table.setItem(r, c, item)


def _steps(table: QTableWidget, rows: Sequence[Mapping[str, Any]],
           fill: Callable[[QTableWidget, Sequence[Mapping[str, Any]], int], None], widest: int) -> list[Step]:
    """Filling ``table`` from ``rows`` as steps of ``TABLE_SLICE`` rows; sorting is off
    until the last step (a sorted table moves each row as it is filled) and the columns
    are sized on the first 60 rows, each at most ``widest`` pixels.

    The previous answer's rows are filled over in place, and any beyond ``rows`` dropped
    ``TABLE_SLICE`` at a time: emptying a 2,000-row table first (``setRowCount(0)``,
    22,000 items deleted at once) held the GUI thread 70-170 ms on every refresh."""

    def start() -> None:
        table.setSortingEnabled(False)
        table.clearSelection()  # a selected row is about to hold another service
        fill(table, rows, 0)

    def trim() -> None:
        table.setRowCount(max(len(rows), table.rowCount() - TABLE_SLICE))

    def sort() -> None:
        table.setSortingEnabled(True)

    def finish() -> None:
        table.horizontalHeader().setResizeContentsPrecision(60)  # sized on 60 rows, not all
        table.resizeColumnsToContents()
        # The first column names the row (a service, an item): sized on every row, as 60
        # rows sorted by name were the shortest ones ("Service 1" … "Service 59") and
        # every "Service 165" was cut to "Serv… 165" at 200 services.
        metrics, names = table.fontMetrics(), (table.item(r, 0) for r in range(table.rowCount()))
        longest = max((metrics.horizontalAdvance(item.text()) for item in names if item is not None), default=0)
        table.setColumnWidth(0, max(table.columnWidth(0), longest + 3 * metrics.averageCharWidth()))
        for c in range(table.columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), widest))

    more: list[Step] = [partial(fill, table, rows, f) for f in range(TABLE_SLICE, len(rows), TABLE_SLICE)]
    extra = max(0, table.rowCount() - len(rows))
    trims: list[Step] = [trim] * -(-extra // TABLE_SLICE)
    return [start, *more, *trims, sort, finish]  # sorting 3,000 rows and sizing the columns: a step each


def services_table_steps(table: QTableWidget, rows: Sequence[Mapping[str, Any]]) -> list[Step]:
    """The services table's filling (``rows``: ``NetworkResult.rows``)."""
    return _steps(table, rows, _fill_services, 260)


def guidance_table_steps(table: QTableWidget, rows: Sequence[Mapping[str, Any]]) -> list[Step]:
    """The guidance table's filling (``rows``: the answers' ``guidance_rejections``)."""
    return _steps(table, rows, _fill_guidance, 240)
