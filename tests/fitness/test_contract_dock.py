"""The Contract dock's measure chart, frequency, pasted values with a preview, and budgets."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QApplication

from osom_desktop.analysis.service_checks import check_document
from osom_desktop.model.document import Document
from osom_desktop.model.service import Measure, RecordedValue, RecordingFrequency, Service, ServiceDocument
from osom_desktop.views.contract_editor import ContractEditor
from osom_desktop.views.measure_chart import ValuesPreview


def editor_for(qtbot, data: ServiceDocument) -> ContractEditor:
    stack = QUndoStack()
    editor = ContractEditor(Document(data), stack)
    editor._test_stack = stack
    qtbot.addWidget(editor)
    editor.resize(480, 1200)
    editor.show()
    return editor


def answer_preview(seen: list[ValuesPreview], accept: bool = True) -> None:
    deadline = time.monotonic() + 5

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, ValuesPreview):
            seen.append(box)
            seen.append([box.table.item(r, 0).text() + " " + box.table.item(r, 2).text() for r in range(box.table.rowCount())])
            seen.append([box.problems.item(i).text() for i in range(box.problems.count())])
            (box.accept if accept else box.reject)()
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def data() -> ServiceDocument:
    d = ServiceDocument(service=Service(name="Payments"))
    d.contract.measures = [Measure(name="Uptime", unit="%", target=99.5,
                                   values=[RecordedValue(date=dt.date(2026, 1, 31), value=99.7)])]
    return d


def test_chart_frequency_and_pasted_cells_recorded_as_one_undo_step(qtbot) -> None:
    editor = editor_for(qtbot, data())
    editor.measures.selectRow(0)
    qtbot.waitUntil(lambda: not editor.fitness.chart.pixmap().isNull())
    first = editor.fitness.chart.pixmap().toImage()

    editor.fitness.frequency.setCurrentIndex(editor.fitness.frequency.findData(RecordingFrequency.MONTHLY))
    editor.fitness.frequency.activated.emit(editor.fitness.frequency.currentIndex())
    assert editor.document.data.contract.measures[0].frequency is RecordingFrequency.MONTHLY
    overdue = [f for f in check_document(editor.document.data, today=dt.date(2026, 6, 30)) if f.code == "measure-overdue"]
    assert overdue and "150 days ago" in overdue[0].message

    # Cells copied from a spreadsheet: date, value (decimal comma, tab separated), one bad.
    QGuiApplication.clipboard().setText("28/02/2026\t99,2\n31.03.2026\t99,9\n04/05/2026\tn/a\n")
    seen: list = []
    answer_preview(seen)
    steps = editor._test_stack.count()
    assert editor.fitness.paste_values()
    assert seen[1] == ["2026-02-28 99.2", "2026-03-31 99.9"]
    assert seen[2] == ["row 3, column date: '04/05/2026' is ambiguous (day/month or month/day?); write it as 2026-MM-DD",
                       "row 3, column value: 'n/a' is not a number"]
    values = [(v.date, v.value) for v in editor.document.data.contract.measures[0].values]
    assert values == [(dt.date(2026, 1, 31), 99.7), (dt.date(2026, 2, 28), 99.2), (dt.date(2026, 3, 31), 99.9)]
    assert editor._test_stack.count() == steps + 1
    qtbot.waitUntil(lambda: editor.fitness.chart.pixmap().toImage() != first)  # the chart shows the new values
    editor._test_stack.undo()
    assert len(editor.document.data.contract.measures[0].values) == 1
    assert editor.values.rowCount() == 1


def test_cancelled_preview_records_nothing(qtbot) -> None:
    editor = editor_for(qtbot, data())
    editor.measures.selectRow(0)
    QGuiApplication.clipboard().setText("2026-02-28;98\n")
    seen: list = []
    answer_preview(seen, accept=False)
    assert not editor.fitness.paste_values()
    assert seen and len(editor.document.data.contract.measures[0].values) == 1
