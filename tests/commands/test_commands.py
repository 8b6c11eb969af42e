"""Every command undoes back to an identical document and redoes to the edited one;
``run`` records a plan as one step, or nothing when an edit is refused."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from PySide6.QtGui import QUndoStack

from osom_desktop.commands import (
    AddElementCommand,
    AddRecordCommand,
    MoveComponentsCommand,
    RemoveElementsCommand,
    RemoveRecordCommand,
    ReplaceMapCommand,
    UpdateContractCommand,
    UpdateElementCommand,
    UpdateMapSettingsCommand,
    UpdateServiceCommand,
    run,
)
from osom_desktop.model import (
    Assessment,
    Component,
    Document,
    Link,
    ModelValidationError,
    WardleyMap,
)


@pytest.fixture
def doc() -> Document:
    d = Document()
    d.add_element(Component(id="a", name="User", visibility=0.9, evolution=0.5))
    d.add_element(Component(id="b", name="Tea", visibility=0.5, evolution=0.7))
    d.add_element(Link(id="l", source="a", target="b"))
    return d


@pytest.fixture
def stack(qapp) -> QUndoStack:
    return QUndoStack()


def _round_trip(doc: Document, stack: QUndoStack, command) -> None:
    before = copy.deepcopy(doc.data)
    run(stack, command)
    after = copy.deepcopy(doc.data)
    assert after != before, "the command changed nothing"
    stack.undo()
    assert doc.data == before
    stack.redo()
    assert doc.data == after
    stack.undo()
    assert doc.data == before


@pytest.mark.parametrize(
    "make",
    [
        lambda d: AddElementCommand(d, Component(id="c", name="Water", visibility=0.3, evolution=0.8)),
        lambda d: RemoveElementsCommand(d, ["b"]),
        lambda d: UpdateElementCommand(d, "a", name="Customer"),
        lambda d: UpdateElementCommand(d, "b", method="buy", inertia=True),
        lambda d: MoveComponentsCommand(d, {"a": (0.8, 0.4)}, {"a": (0.9, 0.5)}),
        lambda d: UpdateMapSettingsCommand(d, title="Tea", style="dark"),
        lambda d: ReplaceMapCommand(d, WardleyMap(title="Empty")),
        lambda d: UpdateServiceCommand(d, name="Tea service", lifecycle="beta"),
        lambda d: UpdateContractCommand(d, user_needs=["Tea"], help="Call us"),
        lambda d: AddRecordCommand(
            d, "assessments", Assessment(date=dt.date(2026, 5, 1), kind="periodic", outcome="met")
        ),
    ],
)
def test_undo_redo_restores_identical_documents(doc: Document, stack: QUndoStack, make) -> None:
    _round_trip(doc, stack, make(doc))


def test_remove_record_undo_puts_it_back_in_place(doc: Document, stack: QUndoStack) -> None:
    for day in (1, 2, 3):
        doc.add_record("assessments", Assessment(date=dt.date(2026, 5, day), kind="periodic", outcome="met"))
    middle = doc.data.assessments[1].id
    _round_trip(doc, stack, RemoveRecordCommand(doc, "assessments", middle))


def test_refused_edit_records_nothing(doc: Document, stack: QUndoStack) -> None:
    with pytest.raises(ModelValidationError, match="Component.name"):
        run(stack, UpdateElementCommand(doc, "a", name="Tea"))
    assert stack.count() == 0


def test_nudges_merge_into_one_undo_step(doc: Document, stack: QUndoStack) -> None:
    pos = (0.9, 0.5)
    for _ in range(5):
        new = (round(pos[0] + 0.01, 4), pos[1])
        run(stack, MoveComponentsCommand(doc, {"a": new}, {"a": pos}, merge=True))
        pos = new
    assert stack.count() == 1
    stack.undo()
    assert (doc.map.component("a").visibility, doc.map.component("a").evolution) == (0.9, 0.5)


def test_a_plan_refused_half_way_is_undone_and_not_recorded(doc: Document, stack: QUndoStack) -> None:
    from osom_desktop.operations import Plan
    from osom_desktop.operations.edits import UpdateElement, UpdateService

    before = copy.deepcopy(doc.data)
    plan = Plan.of(doc, "Both", UpdateService({"manager": "Ann"}), UpdateElement("a", {"name": "Tea"}))
    with pytest.raises(ModelValidationError, match="Component.name"):
        run(stack, plan)
    assert doc.data == before and stack.count() == 0
    seen: list[str] = []
    assert not run(stack, Plan.of(doc, "Again", UpdateService({"manager": "Ann"}), UpdateElement("a", {"name": "Tea"})),
                   report=seen.append)
    assert doc.data == before and stack.count() == 0 and seen[0].startswith("Component name")


def test_a_plan_is_one_undo_step(doc: Document, stack: QUndoStack) -> None:
    from osom_desktop.operations import Plan
    from osom_desktop.operations.edits import UpdateElement, UpdateService

    before = copy.deepcopy(doc.data)
    assert run(stack, Plan.of(doc, "Both", UpdateService({"manager": "Ann"}), UpdateElement("a", {"name": "Customer"})))
    assert stack.count() == 1 and stack.text(0) == "Both"
    stack.undo()
    assert doc.data == before
    assert not run(stack, Plan(doc, "Nothing"))  # an empty plan records nothing
    assert stack.count() == 1


def test_an_empty_plan_records_nothing(doc: Document, stack: QUndoStack) -> None:
    from osom_desktop.operations import edit_component

    assert not run(stack, edit_component(doc, "a", "Rename", name="User"))
    assert stack.count() == 0
