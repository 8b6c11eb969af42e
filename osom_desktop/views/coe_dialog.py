"""Writing a Correction of Error document: OSOM's sections, then corrective actions.

The service manager writes it (whenever a problem occurs, whether or not users
noticed); publishing and the executive's review are separate steps in the CoE dock,
checked by ``operations.coe``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import CorrectionOfError, CorrectiveAction, CorrectiveActionStatus
from osom_desktop.views.record_dialogs import RecordDialog, build_model
from osom_desktop.views.widgets import date_edit, from_qdate, text_box

# (field, label, lines): the sections OSOM's CoE document asks for, in its order.
SECTIONS = (
    ("problem", "&Problem", 3),
    ("impact", "&Impact", 2),
    ("root_cause", "&Root cause", 2),
    ("supporting_data", "Supporting &data", 2),
    ("tradeoffs_made", "Trade-offs that &led to it", 2),
    ("tradeoffs_to_avoid", "Trade-offs to a&void", 2),
    ("lessons", "Le&ssons", 2),
    ("doctrine_helped", "Doctrine that &helped", 1),
    ("doctrine_hurt", "Doctrine that h&urt", 1),
)


def actions_text(actions: list[CorrectiveAction]) -> str:
    """One action a line: ``done 2026-03-05: Auto-renew`` or ``planned: Alert on expiry``."""
    out = []
    for x in actions:
        when = f" {x.date.isoformat()}" if x.date else ""
        out.append(f"{x.status.value}{when}: {x.text}")
    return "\n".join(out)


def parse_actions(text: str) -> list[CorrectiveAction]:
    """The inverse of ``actions_text``; a line without a status is a planned action."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        head, sep, rest = line.partition(":")
        words = head.split()
        if sep and words and words[0] in ("done", "planned") and len(words) <= 2:
            status = CorrectiveActionStatus(words[0])
            try:
                day = dt.date.fromisoformat(words[1]) if len(words) == 2 else None
            except ValueError:
                raise ModelValidationError("CorrectionOfError.actions", words[1],
                                           f"line {n}: write the date as 2026-03-05") from None
            out.append(CorrectiveAction(text=rest.strip() or "(no text)", status=status, date=day))
        else:
            out.append(CorrectiveAction(text=line))
    return out


class CoEDialog(RecordDialog):
    def __init__(self, parent: QWidget | None = None, *, coe: CorrectionOfError | None = None, author: str = "") -> None:
        super().__init__("Edit Correction of Error" if coe else "Write Correction of Error", parent)
        self.setObjectName("coeDialog")
        self.existing = coe
        self.set_intro("Write one whenever a problem occurs, even if users did not notice. "
                       "It is published to the executive, who reviews it.")
        self.title = self.add_field("&Title", "title", QLineEdit(coe.title if coe else ""))
        self.author = self.add_field("&Author", "author", QLineEdit(coe.author if coe else author))
        self.written_on = self.add_field("&Written on", "written_on", date_edit(coe.written_on if coe else None))
        self.sections: dict[str, QPlainTextEdit] = {}
        for field, label, lines in SECTIONS:
            box = text_box(lines)
            box.setPlainText(getattr(coe, field) if coe else "")
            self.sections[field] = self.add_field(label, field, box)
        self.actions = self.add_field("&Corrective actions", "actions", text_box(3))
        self.actions.setPlaceholderText("one a line: done 2026-03-05: renewed the certificate / planned: alert on expiry")
        self.actions.setPlainText(actions_text(coe.actions) if coe else "")
        self.setMinimumWidth(640)

    def build(self) -> CorrectionOfError:
        values: dict[str, Any] = {
            "title": self.title.text().strip(),
            "author": self.author.text().strip(),
            "written_on": from_qdate(self.written_on.date()),
            "actions": parse_actions(self.actions.toPlainText()),
            **{f: box.toPlainText().strip() for f, box in self.sections.items()},
        }
        if self.existing is not None:
            values = {**self.existing.model_dump(), **values, "actions": values["actions"]}
        return build_model(CorrectionOfError, values)
