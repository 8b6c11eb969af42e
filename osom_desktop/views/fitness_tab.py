"""The network window's Fitness tab: roll-ups across the folder, capital flow, and per
service what is overdue and how spend stands against budget.

The roll-ups are the executive's (``rollups.toml`` next to the services, see
``osom_desktop.fitness.rollups``), the same ``osom network --format json`` gives. The
trends are small lines drawn with QPainter: a matplotlib drawing per row would take
longer than the one second the tab has after a 200-service network is loaded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.directory import natural_key
from osom_desktop.analysis.network import Network
from osom_desktop.analysis.service_checks import check_measures_recorded as overdue_findings
from osom_desktop.fitness.budget import spent_in
from osom_desktop.fitness.rollups import ROLLUPS_FILE, FitnessReport, RollupsError, fitness_report, read_definitions
from osom_desktop.model.service import ServiceDocument
from osom_desktop.views.widgets import scrolled_layout

ROLLUP_COLUMNS = ["Roll-up", "Unit", "Total", "Trend (by month)", "Services"]
FLOW_COLUMNS = ["Service", "Own cost", "Received", "Passed on", "Kept", "Kept per unit", "Consumed by"]
SERVICE_COLUMNS = ["Service", "Measures overdue", "Budget (current)", "Spent", "Left"]
BAD = QColor("#fbe8dc")


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"


SORT_ROLE = Qt.ItemDataRole.UserRole + 7  # a cell's number, what its column sorts by


class _Cell(QTableWidgetItem):
    """Sorts by its number (``SORT_ROLE``) when it has one. The number used to go in
    EditRole, but EditRole and DisplayRole are one value in a QTableWidgetItem: the text
    shown replaced it, and the columns sorted as text (1, 10, 11, 2)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if a is None and b is None:  # text, as a person counts: "Service 9" before "Service 10"
            return (natural_key(self.text()), self.text()) < (natural_key(other.text()), other.text())
        return _sort_key(a) < _sort_key(b)


def _sort_key(value: object) -> tuple[int, float]:
    """No number (or not a number) before every number."""
    if not isinstance(value, (int, float)) or value != value:
        return (0, 0.0)
    return (1, float(value))


def _item(text: str, value: float | None = None) -> QTableWidgetItem:
    item = _Cell(text)
    if value is not None:  # sorts by number, not by text
        item.setData(SORT_ROLE, value)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class Sparkline(QWidget):
    """A trend as a line (last point marked), sized to its table cell."""

    def __init__(self, values: list[float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = values
        self.setMinimumSize(120, 22)
        self.setToolTip("  ".join(_num(v) for v in values[-12:]))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        if len(self.values) < 2:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h, m = self.width(), self.height(), 3
        lo, hi = min(self.values), max(self.values)
        span = (hi - lo) or 1.0
        step = (w - 2 * m) / (len(self.values) - 1)
        pts = [QPointF(m + i * step, h - m - (v - lo) / span * (h - 2 * m)) for i, v in enumerate(self.values)]
        p.setPen(QPen(QColor("#1d4f7c"), 1.4))
        p.drawPolyline(QPolygonF(pts))
        p.setBrush(QBrush(QColor("#1d4f7c")))
        p.drawEllipse(pts[-1], 2.2, 2.2)
        p.end()


def _table(columns: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(columns)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    # Compact rows: the tab shares the window's lower half with the other tabs.
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class FitnessTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fitnessTab")
        self.report: FitnessReport | None = None
        self._pending: tuple[Network, str | os.PathLike[str], dt.date | None] | None = None
        self.summary = QLabel()
        self.summary.setObjectName("fitnessSummary")
        self.summary.setWordWrap(True)
        self.rollups = _table(ROLLUP_COLUMNS, "fitnessRollups")
        self.flow_title = QLabel("Capital flow")
        self.flow = _table(FLOW_COLUMNS, "fitnessFlow")
        self.services = _table(SERVICE_COLUMNS, "fitnessServices")
        self.services.setSortingEnabled(True)
        self.problems = QListWidget()
        self.problems.setObjectName("fitnessProblems")
        self.problems.setWordWrap(True)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.summary)
        tl.addWidget(self.rollups, 2)
        tl.addWidget(self.flow_title)
        tl.addWidget(self.flow, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(top)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("Per service"))
        rl.addWidget(self.services, 3)
        rl.addWidget(QLabel("Problems"))
        rl.addWidget(self.problems, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        scrolled_layout(self).addWidget(split)

    def show_network(self, net: Network, folder: str | os.PathLike[str], today: dt.date | None = None) -> None:
        """Show the roll-ups of ``net`` now if the tab is on screen, else when it is first
        shown: the window's GUI thread is not held for a tab nobody is looking at."""
        self._pending = (net, folder, today)
        if self.isVisible():
            self._show_pending()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._show_pending()

    def _show_pending(self) -> None:
        if self._pending is None:
            return
        net, folder, today = self._pending
        self._pending = None
        today = today or dt.date.today()
        problems: list[str] = []
        try:
            definitions = read_definitions(folder)
        except RollupsError as exc:
            definitions = None
            problems.append(str(exc))
            self.summary.setText(f"{ROLLUPS_FILE} cannot be used: {exc}")
        if definitions is None:
            self.report = None
            if not problems:
                self.summary.setText(f"No roll-ups: the executive defines them in {Path(folder) / ROLLUPS_FILE} "
                                     "(sums, means, ratios such as cost per transaction, capital flow).")
        else:
            self.report = fitness_report(net, definitions)
            problems += self.report.problems
            self.summary.setText(f"Roll-ups from {definitions.source}"
                                 + (f", {definitions.start} to {definitions.end}" if definitions.start else ""))
        self._fill_rollups()
        self._fill_flow()
        self._fill_services(net, today)
        self.problems.clear()
        self.problems.addItems([" ".join(p.split()) for p in problems])

    def _fill_rollups(self) -> None:
        rows = self.report.rollups if self.report else []
        self.rollups.setRowCount(len(rows))
        for r, res in enumerate(rows):
            self.rollups.setItem(r, 0, _item(res.name))
            self.rollups.setItem(r, 1, _item(res.unit))
            self.rollups.setItem(r, 2, _item(_num(res.total), res.total if res.total is not None else float("nan")))
            self.rollups.setCellWidget(r, 3, Sparkline([v for _, v in res.trend]))
            self.rollups.setItem(r, 4, _item(str(len(res.services)), len(res.services)))
        self.rollups.resizeColumnToContents(0)
        self.rollups.setColumnWidth(3, 160)

    def _fill_flow(self) -> None:
        flow = self.report.flow if self.report else None
        self.flow_title.setVisible(flow is not None)
        self.flow.setVisible(flow is not None)
        if flow is None:
            self.flow.setRowCount(0)
            return
        self.flow_title.setText(f"Capital flow ({flow.unit}): each service's cost {flow.rule}")
        rows = sorted(flow.rows, key=lambda f: -f.kept)
        self.flow.setRowCount(len(rows))
        for r, f in enumerate(rows):
            cells = [_item(f.name), _item(_num(f.own), f.own), _item(_num(f.received), f.received),
                     _item(_num(f.passed_on), f.passed_on), _item(_num(f.kept), f.kept),
                     _item(_num(f.per_unit), f.per_unit if f.per_unit is not None else float("nan")),
                     _item(", ".join(f.consumers))]
            for c, item in enumerate(cells):
                self.flow.setItem(r, c, item)
        self.flow.resizeColumnToContents(0)

    def _fill_services(self, net: Network, today: dt.date) -> None:
        self.services.setSortingEnabled(False)
        ids = net.services()
        self.services.setRowCount(len(ids))
        for r, sid in enumerate(ids):
            for c, item in enumerate(_service_cells(net.documents[sid], today)):
                self.services.setItem(r, c, item)
        self.services.setSortingEnabled(True)
        for c in range(self.services.columnCount()):
            self.services.resizeColumnToContents(c)


def _service_cells(doc: ServiceDocument, today: dt.date) -> list[QTableWidgetItem]:
    """A service's row: its overdue measures (marked), then its budget cells."""
    late = {f.element_id for f in overdue_findings(doc, today)}
    overdue = [m.name for m in doc.contract.measures if m.id in late]
    cells = [_item(doc.service.name), _item(", ".join(overdue) or "—", len(overdue))]
    if overdue:
        cells[1].setBackground(BAD)
    return cells + _budget_cells(doc, today)


def _budget_cells(doc: ServiceDocument, today: dt.date) -> list[QTableWidgetItem]:
    """This period's budget, spend and what is left (marked when overspent)."""
    current = next((b for b in doc.budgets if b.start <= today <= b.end), None)
    if current is None:
        return [_item("—", -1.0), _item(_num(None), -1.0), _item("—", float("inf"))]
    spent = spent_in(doc, current)
    left = current.amount - spent
    cells = [_item(f"{_num(current.amount)} {current.unit}".strip(), current.amount),
             _item(_num(spent), spent), _item(_num(left), left)]
    if left < 0:
        cells[2].setBackground(BAD)
    return cells


def attach_fitness_tab(tabs: QTabWidget) -> FitnessTab:
    """Add the tab to the network window's tab widget."""
    tab = FitnessTab()
    tabs.addTab(tab, "Fitness")
    return tab
