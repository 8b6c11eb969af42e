"""The service and its contract: OSOM's rule that a live service's contract changes
sparingly, each change recorded with its reason.

The contract's terms include who runs the service and what it is called, so renaming
a live service or changing its manager is a contract change too. Recorded values of a
measure are performance data, not terms: they change without a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from osom_desktop.analysis.directory import ServiceSummary, normalise_name
from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.ids import new_id
from osom_desktop.model.people import current_user
from osom_desktop.model.service import Budget, ContractChange, Dependency, LifecycleStage, RecordedValue
from osom_desktop.model.validation import validate_model_update
from osom_desktop.model.wardley import Component, ServiceRef, WardleyMap, stage_middle
from osom_desktop.operations.contract_summary import describe_contract_change, describe_service_change
from osom_desktop.operations.edits import (
    AddElement,
    AddRecord,
    Edit,
    UpdateContract,
    UpdateElement,
    UpdateMapSettings,
    UpdateService,
)
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import Offer, ReasonRequired

# Where a new component provided by a service goes up the value chain: a little below
# the middle, where supporting components usually sit.
PROVIDED_COMPONENT_VISIBILITY = 0.3


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a live service's contract changes, and who agreed it (the answer to
    ``ReasonRequired``)."""

    text: str
    author: str = ""


def default_author(document: Document) -> str:
    """Who a decision or change is by, unless the person says otherwise: the service's
    manager (accountable for it), else whoever is at the keyboard."""
    return document.data.service.manager or current_user()


def check_reason(text: str) -> str:
    """The reason, stripped; a blank one is refused on the reason field."""
    text = text.strip()
    if not text:
        raise ModelValidationError("ContractChange.reason", text, "a reason for the change is required")
    return text


def contract_change(summary: str, reason: Reason, today: dt.date | None = None) -> ContractChange:
    return ContractChange(date=today or dt.date.today(), reason=check_reason(reason.text), summary=summary,
                          author=reason.author.strip())


def is_live(document: Document) -> bool:
    return document.data.service.lifecycle is LifecycleStage.LIVE


def _logged(document: Document, summary: str, reason: Reason | None, today: dt.date | None) -> list[Edit]:
    """The ContractChange a live service's change needs (none for other stages, or for
    a change of no term); ReasonRequired when there is no reason yet."""
    if not is_live(document) or not summary:
        return []
    if reason is None or not reason.text.strip():
        raise ReasonRequired(summary)
    return [AddRecord("contract_changes", contract_change(summary, reason, today))]


def contract_edits(document: Document, values: dict[str, Any], *, reason: Reason | None = None,
                   today: dt.date | None = None) -> list[Edit]:
    """The edits that change contract fields: the change, and on a live service its
    record. Empty when nothing changes. For operations that change the contract as
    part of something else (linking a component, adding a dependency)."""
    old = document.data.contract
    new = validate_model_update(old, values)  # a bad value: ModelValidationError naming the field
    if new == old:
        return []
    return [UpdateContract(dict(values)), *_logged(document, describe_contract_change(old, new), reason, today)]


def change_contract(document: Document, text: str, values: dict[str, Any], *, reason: Reason | None = None,
                    today: dt.date | None = None) -> Plan:
    """Set contract fields. On a live service: ReasonRequired until ``reason`` is given,
    then the change and its ContractChange are one step."""
    edits = contract_edits(document, values, reason=reason, today=today)
    return Plan(document, text, edits)


def change_service(document: Document, text: str, values: dict[str, Any], *, reason: Reason | None = None,
                   today: dt.date | None = None) -> Plan:
    """Set the service's name or manager (the lifecycle moves only by ``move_lifecycle``)."""
    if "lifecycle" in values:
        raise ValueError("the lifecycle changes through move_lifecycle, which asks for the assessment")
    old = document.data.service
    new = validate_model_update(old, values)
    if new == old:
        return Plan(document, text)
    edits: list[Edit] = [UpdateService(dict(values))]
    if new.name != old.name and title_follows_name(document.map.title, old.name):
        # One name for one service: the map's OWM title follows a rename, unless the
        # person gave the map a title of its own (then it differs, and is kept).
        edits.append(UpdateMapSettings({"title": new.name}))
    edits += _logged(document, describe_service_change(old, new), reason, today)
    return Plan(document, text, edits)


def title_follows_name(title: str | None, name: str) -> bool:
    """Whether a map titled ``title`` is simply titled after the service ``name``
    (or untitled), as opposed to a title set apart on purpose."""
    words = (title or "").split()
    return not words or " ".join(words).casefold() == " ".join(name.split()).casefold()


def rename_service(document: Document, name: str, *, reason: Reason | None = None,
                   today: dt.date | None = None) -> Plan:
    return change_service(document, "Rename service", {"name": name.strip()}, reason=reason, today=today)


def change_manager(document: Document, manager: str, *, reason: Reason | None = None,
                   today: dt.date | None = None) -> Plan:
    return change_service(document, "Set service manager", {"manager": manager.strip()}, reason=reason, today=today)


# -- measures ------------------------------------------------------------------------------


def record_value(document: Document, measure_id: str, value: RecordedValue) -> Plan:
    """Record a measure's value, kept in date order (a second value for a day goes after
    the first). Performance data, not a term: no reason asked, even when live."""
    measures = [m.model_dump() for m in document.data.contract.measures]
    target = next((m for m in measures if m["id"] == measure_id), None)
    if target is None:
        raise ModelValidationError("Measure.id", measure_id, "no such measure")
    values = target["values"]
    i = next((k for k, v in enumerate(values) if v["date"] > value.date), len(values))
    values.insert(i, value.model_dump())
    return change_contract(document, f"Record {target['name']}", {"measures": measures})


def record_values(document: Document, additions: dict[str, list[RecordedValue]], text: str = "Record values") -> Plan:
    """Record many values at once (pasted, or from a CSV) as one step: each measure's
    values stay in date order, a value for a day already recorded goes after it."""
    measures = [m.model_dump() for m in document.data.contract.measures]
    known = {m["id"] for m in measures}
    missing = [mid for mid in additions if mid not in known]
    if missing:
        raise ModelValidationError("Measure.id", missing[0], "no such measure")
    for m in measures:
        added = [v.model_dump() for v in additions.get(m["id"], ())]
        if added:
            m["values"] = sorted([*m["values"], *added], key=lambda v: v["date"])
    return change_contract(document, text, {"measures": measures})


def allocate_budget(document: Document, budget: Budget) -> Plan:
    """The executive allocates money to the service for a period; periods may not overlap
    (spend in a day would count against two budgets)."""
    if budget.end < budget.start:
        raise ModelValidationError("Budget.end", budget.end.isoformat(), "the period ends before it starts")
    for b in document.data.budgets:
        if b.start <= budget.end and budget.start <= b.end and (b.unit or "") == (budget.unit or ""):
            raise ModelValidationError("Budget.start", budget.start.isoformat(),
                                       f"overlaps the budget for {b.start} – {b.end}")
    return Plan.of(document, f"Allocate budget {budget.start} – {budget.end}", AddRecord("budgets", budget))


# -- dependencies and the map -----------------------------------------------------------------


def find_service(services: Iterable[ServiceSummary], name: str) -> ServiceSummary | None:
    wanted = normalise_name(name)
    return next((s for s in services if normalise_name(s.name) == wanted), None)


def check_new_dependency(existing: Iterable[str], name: str) -> None:
    """A service is depended on once: a second dependency on it is refused (by name)."""
    if name.strip().casefold() in {e.casefold() for e in existing}:
        raise ModelValidationError("Dependency.service_name", name.strip(), "this service already depends on it")


def add_dependency(document: Document, dependency: Dependency, *, services: Sequence[ServiceSummary] = (),
                   show_on_map: bool | None = None, reason: Reason | None = None,
                   today: dt.date | None = None) -> Plan:
    """Add a contract dependency. The map and the contract are two views of one truth,
    so when the map shows nothing the service provides, Offer ``show_on_map``: mark the
    component of that name as provided by it, or add one where the service's declared
    evolution stage puts it."""
    check_new_dependency((d.service_name for d in document.data.contract.dependencies), dependency.service_name)
    known = find_service(services, dependency.service_name)
    if known is not None and dependency.service_id is None:
        dependency = dependency.model_copy(update={"service_id": known.service_id})  # a stable reference
    map_edits = _map_edits_for(document.map, dependency, known, show_on_map)
    deps = [d.model_dump() for d in document.data.contract.dependencies] + [dependency.model_dump()]
    contract = contract_edits(document, {"dependencies": deps}, reason=reason, today=today)
    # The contract change first, its record last: the map edit sits between, one step.
    edits = [*contract[:1], *map_edits, *contract[1:]]
    return Plan(document, f"Add dependency on {dependency.service_name}", edits)


def _map_edits_for(m: WardleyMap, dependency: Dependency, known: ServiceSummary | None,
                   show_on_map: bool | None) -> list[Edit]:
    name = dependency.service_name
    if any(c.provided_by is not None and c.provided_by.name.casefold() == name.casefold() for c in m.components):
        return []  # the map already shows what that service provides
    same_name = m.component_by_name(name)
    if show_on_map is None:
        if same_name is not None:
            question = f"The map has a component called {name}. Mark it as provided by the {name} service?"
        else:
            question = f"Add a component {name} to the map, provided by the {name} service?"
        raise Offer("Show the dependency on the map", question, keyword="show_on_map")
    if not show_on_map:
        return []
    ref = ServiceRef(name=name, service_id=dependency.service_id)
    if same_name is not None:
        return [UpdateElement(same_name.id, {"provided_by": ref})]
    stage = known.evolution_stage if known is not None else None
    evolution = stage_middle(stage.rank) if stage is not None else 0.5
    component = Component(id=new_id(), name=name, visibility=free_visibility(m, PROVIDED_COMPONENT_VISIBILITY, evolution),
                          evolution=evolution, provided_by=ref, description=dependency.description)
    return [AddElement(component)]


def free_visibility(m: WardleyMap, visibility: float, evolution: float) -> float:
    """A spot near ``visibility`` with no component drawn on top of it."""
    taken = [(c.visibility, c.evolution) for c in m.components if c.visibility is not None and c.evolution is not None]
    candidates = [visibility - 0.06 * k for k in range(5)] + [visibility + 0.06 * k for k in range(1, 5)]
    for v in candidates:
        if all(abs(v - tv) > 0.04 or abs(evolution - te) > 0.06 for tv, te in taken):
            return round(v, 3)
    return visibility


def is_listed(document: Document, ref: ServiceRef) -> bool:
    """Whether the contract already depends on the service ``ref`` names (by id or name)."""
    return any(
        (ref.service_id and d.service_id == ref.service_id) or normalise_name(d.service_name) == normalise_name(ref.name)
        for d in document.data.contract.dependencies
    )


def link_to_service(document: Document, component_id: str, ref: ServiceRef | None, *,
                    add_dependency: bool | None = None, reason: Reason | None = None,
                    today: dt.date | None = None) -> Plan:
    """Mark a component as provided by a service (None: by none). A provider the
    contract does not list is Offered as a dependency (``add_dependency``); added on a
    live service, that is a contract change like any other: ReasonRequired, recorded."""
    c = document.map.component(component_id)
    if c is None:
        raise ModelValidationError("component", component_id, "no such component on the map")
    if c.provided_by == ref:
        return Plan(document, f"Link {c.name}")
    if ref is None:
        return Plan.of(document, f"Unlink service {c.name}", UpdateElement(c.id, {"provided_by": None}))
    edits: list[Edit] = [UpdateElement(c.id, {"provided_by": ref})]
    if not is_listed(document, ref):
        if add_dependency is None:
            raise Offer(
                "Add dependency",
                f"{c.name} is provided by {ref.name}, which is not among this service's contract dependencies.\n\n"
                f"Add {ref.name} to the contract's dependencies?",
                keyword="add_dependency",
            )
        if add_dependency:
            new = Dependency(service_name=ref.name, service_id=ref.service_id, description=f"Provides {c.name}")
            deps = [d.model_dump() for d in document.data.contract.dependencies] + [new.model_dump()]
            edits += contract_edits(document, {"dependencies": deps}, reason=reason, today=today)
    return Plan(document, f"Link {c.name} to {ref.name}", edits)
