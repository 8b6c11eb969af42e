"""A panel with a bug must not make an edit un-undoable: the Document's change signal
isolates each subscriber, so the edit lands, is recorded, and undoes."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel

from osom_desktop.commands import UpdateElementCommand, run
from osom_desktop.model import Component, Document
from osom_desktop.model.signals import SubscriberFailure
from osom_desktop.views.inspector import InspectorWidget


class BrokenPanel(QLabel):
    """A real widget listening to the Document, with a bug in its slot."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        document.changed.connect(self._on_document_changed)

    def _on_document_changed(self, change) -> None:
        raise KeyError("a bug in a panel")


@pytest.fixture
def doc() -> Document:
    d = Document()
    d.add_element(Component(id="k", name="Kettle", visibility=0.5, evolution=0.4))
    return d


def test_a_raising_panel_does_not_stop_the_edit_nor_its_undo(qtbot, doc: Document, caplog) -> None:
    stack = QUndoStack()
    broken = BrokenPanel(doc)  # connected first: it fails before the inspector hears of the edit
    inspector = InspectorWidget(doc, stack)
    qtbot.addWidget(broken)
    qtbot.addWidget(inspector)
    inspector.show_component("k")
    failures: list[SubscriberFailure] = []
    doc.subscriber_failed.connect(failures.append)

    with caplog.at_level(logging.ERROR, logger="osom_desktop.model.signals"):
        assert run(stack, UpdateElementCommand(doc, "k", text="Rename", name="Boiler"))

    assert doc.map.component("k").name == "Boiler"  # the edit landed
    assert stack.count() == 1  # ... and was recorded
    assert inspector.name.text() == "Boiler"  # the panels after the broken one still heard of it
    assert len(failures) == 1 and "BrokenPanel._on_document_changed" in str(failures[0])
    assert isinstance(failures[0].error, KeyError)
    assert any("a bug in a panel" in r.getMessage() or r.exc_info for r in caplog.records)  # logged, with traceback

    stack.undo()
    assert doc.map.component("k").name == "Kettle"
    assert inspector.name.text() == "Kettle"
    stack.redo()
    assert doc.map.component("k").name == "Boiler"


def test_the_window_says_a_panel_failed_and_the_edit_still_undoes(qtbot, tmp_path, monkeypatch) -> None:
    from osom_desktop.samples import sample_document
    from osom_desktop.storage import save_document
    from osom_desktop.views.main_window import MainWindow

    monkeypatch.setenv("OSOM_RECOVERY_DIR", str(tmp_path / "recovery"))
    path = tmp_path / "notifications.osom"
    save_document(sample_document(), path)
    window = MainWindow()
    assert window.open_path(path)
    window.show()
    qtbot.waitExposed(window)
    broken = BrokenPanel(window.document)
    qtbot.addWidget(broken)
    compute = window.document.map.component_by_name("Compute")
    assert window.view.run(UpdateElementCommand(window.document, compute.id, text="Rename", name="Servers"))
    assert window.document.map.component(compute.id).name == "Servers"
    assert "could not show the last change" in window.statusBar().currentMessage()
    assert "BrokenPanel" in window.statusBar().currentMessage()
    window.stack.undo()
    assert window.document.map.component(compute.id).name == "Compute"
    assert "component Compute [" in window.text.editor.toPlainText()  # the text dock followed the undo
    window.stack.setClean()
    window.close()
