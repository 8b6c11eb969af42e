"""The executive's side of the governance loop, across the network window's folder.

A heat-map of the latest decision on each criterion (services x criteria, doctrine
included; ↑ ↓ the trend since the assessment before), and per service what is
waiting: CoEs awaiting review, open and overdue actions and mandates, unmet needs, a
missed target with no CoE in a year; recurring root causes underneath. The answers
are ``analysis.governance.network_governance``'s, the same ``osom network -f json`` gives.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.analysis.governance import Cell, NetworkGovernance, network_governance
from osom_desktop.model.service import ServiceDocument
from osom_desktop.views.network_table import SortedItem
from osom_desktop.views.widgets import scrolled_layout

TREND_MARKS = {"up": " ↑", "down": " ↓", "same": "", "new": "", "changed": " ~"}
ACCOUNT_COLUMNS = ["Service", "CoEs awaiting review", "Open actions", "Overdue actions", "Open mandates",
                   "Overdue mandates", "Unmet needs", "Missed target, no CoE in a year"]
ALL_SETS = ""


def cell_colour(cell: Cell) -> QColor:
    """Red (worst) through amber to green (best) on the criterion's own scale."""
    if cell.score is None:
        return QColor("#e0e0e0")
    red, amber, green = QColor("#f4b6b6"), QColor("#ffe0a3"), QColor("#b9e2c0")
    a, b, t = (red, amber, cell.score * 2) if cell.score < 0.5 else (amber, green, (cell.score - 0.5) * 2)
    return QColor(int(a.red() + (b.red() - a.red()) * t), int(a.green() + (b.green() - a.green()) * t),
                  int(a.blue() + (b.blue() - a.blue()) * t))


def _one_line(text: str) -> str:
    return " ".join(text.split())


class GovernanceTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("governanceTab")
        self.answers = NetworkGovernance()
        self.summary = QLabel()
        self.summary.setObjectName("governanceSummary")
        self.summary.setWordWrap(True)
        self.set_filter = QComboBox()
        self.set_filter.setObjectName("criteriaSetFilter")
        self.set_filter.setAccessibleName("Criteria set shown in the heat-map")
        self.set_filter.currentIndexChanged.connect(lambda _i: self._fill_heat_map())
        self.heat_map = QTableWidget()
        self.heat_map.setObjectName("heatMap")
        self.heat_map.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.heat_map.horizontalHeader().setDefaultSectionSize(86)
        self.heat_map.horizontalHeader().setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 10)
        self.heat_map.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.accounts = QTableWidget(0, len(ACCOUNT_COLUMNS))
        self.accounts.setObjectName("governanceAccounts")
        self.accounts.setHorizontalHeaderLabels(ACCOUNT_COLUMNS)
        self.accounts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.accounts.verticalHeader().hide()
        self.accounts.setSortingEnabled(True)
        self.accounts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.waiting = QLabel()
        self.waiting.setObjectName("governanceWaiting")
        self.waiting.setWordWrap(True)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        heat = QWidget()
        hl = QVBoxLayout(heat)
        hl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Latest decision per criterion (↑ ↓ since the assessment before):"))
        row.addStretch(1)
        row.addWidget(QLabel("Set:"))
        row.addWidget(self.set_filter)
        hl.addLayout(row)
        hl.addWidget(self.heat_map, 1)
        lower = QTabWidget()
        lower.addTab(self.accounts, "By service")
        lower.addTab(self.waiting, "Awaiting the executive")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(heat)
        split.addWidget(lower)
        split.setSizes([300, 200])
        layout = scrolled_layout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def show_services(self, services: Iterable[tuple[str, ServiceDocument]], today: dt.date | None = None) -> None:
        self.answers = network_governance(services, today)
        sets = sorted({s for s, _c, _t in self.answers.heat_map.columns})
        current = self.set_filter.currentData()
        was = self.set_filter.blockSignals(True)
        self.set_filter.clear()
        self.set_filter.addItem("All sets", ALL_SETS)
        for s in sets:
            self.set_filter.addItem(s, s)
        self.set_filter.setCurrentIndex(max(0, self.set_filter.findData(current)))
        self.set_filter.blockSignals(was)
        self._fill_heat_map()
        self._fill_accounts()
        a = self.answers
        overdue = sum(d for _o, d in a.actions.values()) + sum(d for _o, d in a.mandates.values())
        self.summary.setText(
            f"{len(a.coes_awaiting_review)} CoE(s) awaiting review · {overdue} overdue action(s) and mandate(s) · "
            f"{len(a.recurring_root_causes)} recurring root cause(s) · "
            f"{len(a.silent_services)} service(s) missed a target with no CoE in a year")

    def show_network(self, network: object) -> None:
        """From the network window's answer (``analysis.network.Network``)."""
        documents = getattr(network, "documents", {})
        self.show_services((_one_line(d.service.name), d) for d in documents.values())

    def _fill_heat_map(self) -> None:
        columns = self._chosen_columns()
        rows = [(name, cells) for name, cells in self.answers.heat_map.rows if cells]
        self.heat_map.clear()
        self.heat_map.setColumnCount(len(columns))
        self.heat_map.setRowCount(len(rows))
        self._heat_headers(columns, [name for name, _cells in rows])
        for r, (name, cells) in enumerate(rows):
            for col, (s, c, title) in enumerate(columns):
                cell = cells.get((s, c))
                if cell is not None:
                    self.heat_map.setItem(r, col, _heat_item(name, title, cell))

    def _chosen_columns(self) -> list[tuple[str, str, str]]:
        """The heat-map's criteria of the set chosen in the filter (all sets by default)."""
        chosen = self.set_filter.currentData() or ALL_SETS
        return [c for c in self.answers.heat_map.columns if chosen == ALL_SETS or c[0] == chosen]

    def _heat_headers(self, columns: list[tuple[str, str, str]], names: list[str]) -> None:
        # Header views do not wrap: the title is wrapped here (three short lines at most).
        self.heat_map.setHorizontalHeaderLabels(
            ["\n".join(textwrap.wrap(_one_line(t), 13, max_lines=3, placeholder="…")) for _s, _c, t in columns])
        self.heat_map.setVerticalHeaderLabels(names)
        for col, (s, _c, title) in enumerate(columns):
            header = self.heat_map.horizontalHeaderItem(col)  # set just above
            if header is not None:
                header.setToolTip(f"{_one_line(title)}\n({s})")

    def _fill_accounts(self) -> None:
        a = self.answers
        awaiting = Counter(name for name, _c in a.coes_awaiting_review)
        names = list(a.actions)
        self.accounts.setSortingEnabled(False)
        self.accounts.setRowCount(len(names))
        for r, name in enumerate(names):
            values: list[object] = [name, awaiting.get(name, 0), *a.actions[name], *a.mandates[name],
                                    a.unmet_needs.get(name, 0), "yes" if name in a.silent_services else ""]
            for c, value in enumerate(values):
                if isinstance(value, str):  # names as a person counts them ("Service 9" before "Service 10")
                    item: QTableWidgetItem = SortedItem(value)
                else:
                    item = QTableWidgetItem()
                    item.setData(Qt.ItemDataRole.DisplayRole, value)
                if c in (3, 5) and value:  # overdue actions, overdue mandates
                    item.setForeground(QBrush(QColor("#b00020")))
                self.accounts.setItem(r, c, item)
        self.accounts.setSortingEnabled(True)
        self.waiting.setText(_waiting_text(a))


def _heat_item(name: str, title: str, cell: Cell) -> QTableWidgetItem:
    """One heat-map cell: the decision and its trend, coloured by its score."""
    item = QTableWidgetItem(cell.decision + TREND_MARKS.get(cell.trend, ""))
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    item.setBackground(QBrush(cell_colour(cell)))
    item.setForeground(QBrush(QColor("#1b1b1b")))
    before = f", was {cell.previous}" if cell.previous is not None else ""
    item.setToolTip(f"{name}: {_one_line(title)}\n{cell.decision}{before} (assessed {cell.assessed_on})")
    return item


def _waiting_text(a: NetworkGovernance) -> str:
    """CoEs awaiting the executive's review and recurring root causes, one per line."""
    lines = ["CoEs awaiting the executive's review:"]
    lines += [f"  • {name}: {_one_line(c.title)} (published {c.published_on}, by {c.author or 'not named'})"
              for name, c in a.coes_awaiting_review] or ["  none"]
    lines.append("Recurring root causes:")
    lines += [f"  • {_one_line(cause)} — {', '.join(services)}" for cause, services in a.recurring_root_causes] or ["  none"]
    return "\n".join(lines)


def attach_governance_tab(tabs: QTabWidget) -> GovernanceTab:
    """Add the tab to a window's tab widget (the network window calls this)."""
    tab = GovernanceTab()
    tabs.addTab(tab, "Governance")
    return tab
