"""Mandates and unmet needs: what the executive asked of the service, and what users
asked that the contract does not meet.

A service takes the mandates addressed to it from the executive's file (a copy, as
issued; one already taken is kept as answered). Its response is acknowledged, done or
disputed; a dispute says why. Unmet needs are highlighted, not decided alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from osom_desktop.governance.mandates import Mandate
from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import MandateStatus, UnmetNeed
from osom_desktop.operations.edits import AddRecord, Edit, RemoveRecord, ReplaceRecord
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import OperationRefused


class MandateRefused(OperationRefused):
    """A mandate rule was broken; the message says which."""


def take_mandates(document: Document, mandates: Iterable[Mandate]) -> Plan:
    """Copy in the mandates addressed to this service that it does not hold yet."""
    service = document.data.service
    held = {m.id for m in document.data.mandates}
    edits: list[Edit] = [AddRecord("mandates", m.record()) for m in mandates if m.addresses(service) and m.id not in held]
    n = len(edits)
    return Plan(document, f"Take {n} mandate{'s' if n != 1 else ''}", edits,
                notice="" if n else f"no new mandate in the file is addressed to {service.name}")


def respond_to_mandate(document: Document, mandate_id: str, status: MandateStatus, response: str = "", *,
                       on: dt.date | None = None) -> Plan:
    m = next((m for m in document.data.mandates if m.id == mandate_id), None)
    if m is None:
        raise ModelValidationError("mandates", mandate_id, "no such record")
    if status is MandateStatus.OPEN:
        raise MandateRefused("a response is acknowledged, done or disputed")
    if status is MandateStatus.DISPUTED and not response.strip():
        raise MandateRefused(f"disputing mandate {m.id} needs the reason, for the executive")
    new = m.model_copy(update={"status": status, "response": response.strip(), "responded_on": on or dt.date.today()})
    if new == m:
        return Plan(document, "Respond to mandate")
    return Plan.of(document, f"Mandate {m.id}: {status.value}", ReplaceRecord("mandates", new))


def note_unmet_need(document: Document, need: str, *, asked_by: str = "", note: str = "",
                    on: dt.date | None = None) -> Plan:
    if not need.strip():
        raise ModelValidationError("UnmetNeed.need", need, "say what users asked for")
    if any(" ".join(u.need.split()).casefold() == " ".join(need.split()).casefold() for u in document.data.unmet_needs):
        raise MandateRefused(f"the need {need.strip()!r} is already recorded")
    record = UnmetNeed(need=need.strip(), asked_by=asked_by.strip(), note=note.strip(), noted_on=on or dt.date.today())
    return Plan.of(document, f"Note unmet need: {record.need[:40]}", AddRecord("unmet_needs", record))


def remove_unmet_need(document: Document, need_id: str) -> Plan:
    u = next((u for u in document.data.unmet_needs if u.id == need_id), None)
    if u is None:
        raise ModelValidationError("unmet_needs", need_id, "no such record")
    return Plan.of(document, f"Remove unmet need: {u.need[:40]}", RemoveRecord("unmet_needs", u.id))
