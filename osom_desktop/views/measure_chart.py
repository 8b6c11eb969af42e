"""The Contract dock's fitness part: the selected measure's chart, how often it is
recorded, values pasted or imported from a CSV (with a preview), and spend against budget.

The charts are drawn by ``osom_desktop.fitness.charts`` (matplotlib, headless) as PNG at
the screen's pixel ratio, the same drawing the packs hold as vector.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from osom_desktop.fitness.budget import budget_bars
from osom_desktop.fitness.csv_values import CsvRefused, ParsedValues, parse_pasted, problem_lines, read_csv
from osom_desktop.fitness.import_values import ValuesPlan, plan_values
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import Budget, Measure, RecordedValue, RecordingFrequency
from osom_desktop.operations import allocate_budget, record_values

if TYPE_CHECKING:
    from osom_desktop.views.contract_editor import ContractEditor

FREQUENCY_LABELS: dict[RecordingFrequency | None, str] = {
    None: "No promise", **{f: f"Recorded {f.value}" for f in RecordingFrequency}}


def chart_pixmap(fig_png: bytes, ratio: float) -> QPixmap:
    pix = QPixmap()
    pix.loadFromData(fig_png, "PNG")
    pix.setDevicePixelRatio(ratio)
    return pix


class MeasureFitness(QWidget):
    """Below the recorded values: the chart and the fitness actions for one service."""

    def __init__(self, editor: ContractEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self._shown: object = None  # what the chart shows now (skip redrawing the same)
        self._budget_shown: object = None
        self._draw_pending = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.chart = QLabel()
        self.chart.setObjectName("measureChart")
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart.setMinimumHeight(120)
        column.addWidget(self.chart)
        row = QHBoxLayout()
        self.frequency = QComboBox()
        self.frequency.setObjectName("measureFrequency")
        for value, label in FREQUENCY_LABELS.items():
            self.frequency.addItem(label, value)
        self.frequency.setToolTip("How often this measure should be recorded; a later value is overdue (a finding)")
        self.cost = QCheckBox("Cost (money spent)")
        self.cost.setObjectName("measureCost")
        row.addWidget(self.frequency)
        row.addWidget(self.cost)
        row.addStretch(1)
        column.addLayout(row)
        buttons = QHBoxLayout()
        self.paste = QPushButton("Paste values")
        self.paste.setToolTip("Cells copied from a spreadsheet: date, value[, note] for this measure, "
                              "or date, measure, value[, note]")
        self.import_csv = QPushButton("Import CSV…")
        self.allocate = QPushButton("Allocate budget…")
        for b in (self.paste, self.import_csv, self.allocate):
            buttons.addWidget(b)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.budget_title = QLabel("Spend against budget")
        self.budget_chart = QLabel()
        self.budget_chart.setObjectName("budgetChart")
        column.addWidget(self.budget_title)
        column.addWidget(self.budget_chart)
        self.frequency.activated.connect(lambda _i: self._on_frequency_chosen())
        self.cost.clicked.connect(self._on_cost_clicked)
        self.paste.clicked.connect(self.paste_values)
        self.import_csv.clicked.connect(self.import_values_dialog)
        self.allocate.clicked.connect(self.allocate_budget_dialog)

    # -- showing -----------------------------------------------------------------------

    def refresh(self) -> None:
        m = self.editor.selected_measure()
        ro = getattr(self.editor, "_read_only", False)
        for w in (self.frequency, self.cost):
            w.setEnabled(m is not None and not ro)
        self.paste.setEnabled(m is not None and not ro)
        self.import_csv.setEnabled(bool(self.editor.document.data.contract.measures) and not ro)
        self.allocate.setEnabled(not ro)
        if m is not None:
            self.frequency.setCurrentIndex(list(FREQUENCY_LABELS).index(m.frequency))
            self.cost.setChecked(m.cost)
        if not self._draw_pending:  # drawn once the window is up, and once for a burst of edits
            self._draw_pending = True
            QTimer.singleShot(0, self._draw)

    def _draw(self) -> None:
        self._draw_pending = False
        if not getattr(self, "_painted", False):
            # Not on screen yet (behind another dock's tab at start): drawn once it is.
            # matplotlib takes a second or two to load and held back the map's first
            # paint by that much (issue 14).
            self._draw_when_shown = True
            return
        self._draw_when_shown = False
        # matplotlib loads on the first chart, not with the app (it takes a second or two).
        from osom_desktop.fitness.charts import Series, budget_figure, measure_figure, png_bytes

        m = self.editor.selected_measure()
        ratio = self.devicePixelRatioF() or 1.0
        series = Series.of(m) if m is not None else None
        if series != self._shown:
            self._shown = series
            if series is None:
                self.chart.clear()
                self.chart.setText("Select a measure to see its values over time")
            else:
                self.chart.setPixmap(chart_pixmap(png_bytes(measure_figure(series), 100 * ratio), ratio))
        bars = budget_bars(self.editor.document.data)
        if bars != self._budget_shown:
            self._budget_shown = bars
            if bars:
                self.budget_chart.setPixmap(chart_pixmap(png_bytes(budget_figure(bars), 100 * ratio), ratio))
            else:
                self.budget_chart.clear()
        self.budget_title.setVisible(bool(bars))
        self.budget_chart.setVisible(bool(bars))

    def paintEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's
        super().paintEvent(event)
        self._painted = True
        if getattr(self, "_draw_when_shown", False) and not self._draw_pending:
            self._draw_pending = True
            QTimer.singleShot(0, self._draw)

    # -- editing -----------------------------------------------------------------------

    def _set_measure_field(self, field: str, value: object, text: str) -> None:
        m = self.editor.selected_measure()
        if m is None:
            return
        measures = self.editor._measures_data()
        for d in measures:
            if d["id"] == m.id:
                d[field] = value
        if not self.editor.change_contract(f"{text} of {m.name}", {"measures": measures}, widget=self.frequency):
            self.refresh()

    def _on_frequency_chosen(self) -> None:
        self._set_measure_field("frequency", self.frequency.currentData(), "Set recording frequency")

    def _on_cost_clicked(self, checked: bool) -> None:
        self._set_measure_field("cost", checked, "Mark cost measure" if checked else "Unmark cost measure")

    def paste_values(self) -> bool:
        """True when values were recorded."""
        m = self.editor.selected_measure()
        if m is None:
            return False
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            QMessageBox.information(self, "Paste values", "The clipboard holds no cells to paste.")
            return False
        return self.preview_and_record(parse_pasted(text, m.name), "the pasted cells", "Paste values")

    def import_values_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import measure values", "", "CSV files (*.csv *.txt);;All files (*)")
        if not path:
            return
        try:
            parsed = read_csv(path)
        except CsvRefused as exc:
            QMessageBox.warning(self, "Import measure values", str(exc))
            return
        self.preview_and_record(parsed, path, "Import values")

    def preview_and_record(self, parsed: ParsedValues, source: str, text: str) -> bool:
        plan = plan_values(parsed, [self.editor.document.data], single=True)
        dialog = ValuesPreview(plan, self.editor.document.data.contract.measures, source, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        finally:
            dialog.deleteLater()
        additions = plan.additions.get(self.editor.document.data.service.id, {})
        n = sum(len(v) for v in additions.values())
        return self.editor._perform(lambda **_a: record_values(self.editor.document, additions, f"{text} ({n})"),
                                    self.editor.values)

    def allocate_budget_dialog(self) -> None:
        dialog = BudgetDialog(self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            budget = dialog.record
        finally:
            dialog.deleteLater()
        if budget is None:  # an accepted dialog always holds its record
            return
        self.editor._perform(lambda **_a: allocate_budget(self.editor.document, budget), self.allocate)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _preview_summary(count: int, already: int, source: str) -> str:
    summary = f"{count:,} value{_s(count)} to record from {source}"
    return summary + (f"; {already:,} already recorded (skipped)" if already else "")


def _preview_table(rows: list[tuple[RecordedValue, str]]) -> QTableWidget:
    """The values to record: date, measure, value and note, read-only."""
    table = QTableWidget(len(rows), 4)
    table.setObjectName("previewValues")
    table.setHorizontalHeaderLabels(["Date", "Measure", "Value", "Note"])
    for r, (v, name) in enumerate(rows):
        for c, cell in enumerate((v.date.isoformat(), name, f"{v.value:g}", v.note)):
            table.setItem(r, c, QTableWidgetItem(cell))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


class ValuesPreview(QDialog):
    """What would be recorded, and every row that cannot be (row and column): recorded
    only on OK, and OK says whether the bad rows are skipped."""

    def __init__(self, plan: ValuesPlan, measures: list[Measure], source: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record measure values")
        names = {m.id: m.name for m in measures}
        rows = [(v, names[mid]) for per in plan.additions.values() for mid, vals in per.items() for v in vals]
        layout = QVBoxLayout(self)
        self.summary = QLabel(_preview_summary(len(rows), plan.already_recorded, source))
        layout.addWidget(self.summary)
        self.table = _preview_table(rows)
        layout.addWidget(self.table)
        self.problems = QListWidget()
        self.problems.setObjectName("previewProblems")
        self.problems.addItems(problem_lines(plan.problems))
        self.problems.setVisible(bool(plan.problems))
        if plan.problems:
            layout.addWidget(QLabel(f"{len(plan.problems):,} row{_s(len(plan.problems))} cannot be recorded:"))
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Record {len(rows):,}" + (" and skip the bad rows" if plan.problems else ""))
        ok.setEnabled(bool(rows))
        self.ok = ok
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)


class BudgetDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Allocate budget")
        form = QFormLayout(self)
        today = dt.date.today()
        start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)  # a financial year, say
        self.start = QLineEdit(start.isoformat())
        self.end = QLineEdit(dt.date(start.year + 1, 3, 31).isoformat())
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 1e12)
        self.amount.setDecimals(2)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("currency, as the cost measure's unit (GBP)")
        self.by = QLineEdit()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        for label, w in (("&Start", self.start), ("&End", self.end), ("&Amount", self.amount), ("&Unit", self.unit),
                         ("Allocated &by", self.by)):
            form.addRow(label, w)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.record: Budget | None = None

    def _on_accepted(self) -> None:
        try:
            self.record = Budget(start=self.start.text().strip(), end=self.end.text().strip(),
                                 amount=self.amount.value(), unit=self.unit.text().strip(), allocated_by=self.by.text().strip())
        except (OsomError, ValueError) as exc:
            self.error.setText(str(exc).splitlines()[0])
            return
        self.accept()
