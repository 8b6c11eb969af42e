"""The Reject guidance dialog refusing a value, driven by mouse and keys (a person-like
tester with xdotool): the message named the model's field ("GuidanceDecision.reason:
..."), appeared between the fields and pushed the ones below it down, under the
pointer, and the Alternative typed was lost. Now the message uses the form's words, shows
on a line kept for it under the fields, and everything typed stays.

Real widgets, real clicks and keys; the decision is saved to a real .osom file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from osom_desktop.storage import open_document, save_document
from osom_desktop.views.guidance_log import GuidanceLogWidget
from osom_desktop.views.record_dialogs import RejectGuidanceDialog
from tests.views.forms import answer_form
from tests.views.test_guidance_log import log, select  # noqa: F401 - the fixture

ALTERNATIVE = "We post letters through the council's own print room"


def place(widget: QWidget, dialog: QWidget) -> QPoint:
    return widget.mapTo(dialog, QPoint(0, 0))


def click_and_type(qtbot, widget: QWidget, text: str) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.keyClicks(widget, text)


def test_a_refused_reason_is_said_in_words_without_moving_a_field_or_losing_one(
        qtbot, log: GuidanceLogWidget, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    seen: dict[str, object] = {}

    def fill(d: RejectGuidanceDialog) -> None:
        fields = (d.reason, d.alternative, d.accepted_risk, d.decided_by, d.decided_on, d.review_by)
        qtbot.waitExposed(d)
        qtbot.wait(20)  # laid out as the person sees it
        before = [place(w, d) for w in fields]
        height = d.height()
        click_and_type(qtbot, d.alternative, ALTERNATIVE)
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)  # no reason given
        qtbot.wait(20)
        seen["message"] = d.errors.message(d.reason)
        seen["shown"] = [lbl.text() for lbl in d.findChildren(QWidget, "fieldError") if lbl.isVisible()]
        seen["moved"] = [w.objectName() or type(w).__name__ for w, p in zip(fields, before, strict=True)
                         if place(w, d) != p]
        seen["grew"] = d.height() - height
        seen["alternative"] = d.alternative.toPlainText()
        seen["focus"] = d.reason.hasFocus()
        # The message is below every field, not between them.
        message = next(lbl for lbl in d.findChildren(QWidget, "fieldError") if lbl.isVisible())
        seen["below"] = message.mapTo(d, QPoint(0, 0)).y() >= place(d.review_by, d).y() + d.review_by.height()
        qtbot.keyClicks(d.reason, "We send no letters")

    opened = answer_form(RejectGuidanceDialog, fill)
    select(log, "G-001")
    qtbot.mouseClick(log.reject_button, Qt.MouseButton.LeftButton)
    assert opened
    assert seen["message"] == "Reason for rejecting: must not be empty"
    assert seen["shown"] == ["Reason for rejecting: must not be empty"]
    assert seen["moved"] == [] and seen["grew"] == 0 and seen["below"]
    assert seen["alternative"] == ALTERNATIVE and seen["focus"]
    [decision] = log.document.data.decisions
    assert decision.reason == "We send no letters" and decision.alternative == ALTERNATIVE
    path = tmp_path / "s.osom"
    save_document(log.document.data, path)
    assert open_document(path).decisions[0].alternative == ALTERNATIVE


def test_a_review_date_before_the_decision_is_said_in_the_forms_words(qtbot, log: GuidanceLogWidget) -> None:  # noqa: F811
    seen: list[str | None] = []

    def fill(d: RejectGuidanceDialog) -> None:
        click_and_type(qtbot, d.reason, "Not for us")
        d.review_by.setFocus()
        d.review_by.setDate(d.decided_on.date().addDays(-1))
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
        seen.append(d.errors.message(d.review_by))

    answer_form(RejectGuidanceDialog, fill)
    select(log, "G-001")
    qtbot.mouseClick(log.reject_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0] is not None
    assert seen[0].startswith("Review by: the review must come after the decision")
    assert "GuidanceDecision" not in seen[0]
