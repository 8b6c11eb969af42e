"""Checks on one service document, shown by ``osom check`` and the findings panel.

Four kinds, each finding naming the element a panel should go to:

* the contract alone (``check_contract_complete``): the parts every service must fill in;
* the map alone (``check_map``): names, links, positions, unknown lines;
* the document against itself (``check_contract_and_map``, ``check_guidance_reviews``,
  ``check_assessments``): the contract's dependencies and the map's providers agree,
  rejected guidance is reviewed when promised, assessments happen when OSOM asks;
* the document against its neighbours (``check_providers``), only when a
  ``ServiceDirectory`` is given: what the services it depends on say about themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from osom_desktop.analysis.assessment_dates import (  # noqa: F401 - ASSESSMENT_INTERVAL_DAYS re-exported
    ASSESSMENT_INTERVAL_DAYS,
    days_since,
    held,
    last_assessment,
    periodic_overdue,
)
from osom_desktop.analysis.directory import (
    ServiceDirectory,
    ServiceSummary,
    normalise_name,
)
from osom_desktop.analysis.findings import Finding, Severity
from osom_desktop.analysis.governance import governance_findings
from osom_desktop.analysis.review_dates import review_overdue
from osom_desktop.model.service import (
    Assessment,
    AssessmentKind,
    Dependency,
    EvolutionStage,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.model.wardley import (
    STAGE_EDGES,
    Component,
    ComponentKind,
    RawKind,
    ServiceRef,
    WardleyMap,
    stage_of,
)

# How far (in evolution units) a component one stage away from its provider's declared
# stage may sit beyond that stage's edge before it is called a mismatch. Mappers place
# components by judgement and stage edges are fuzzy: 0.15 is a little under the width
# of the narrowest stage (genesis, 0.175), so a component just across an edge is fine.
EVOLUTION_TOLERANCE = 0.15

_STAGE_EDGES = STAGE_EDGES
_STAGES = list(EvolutionStage)
_SEVERITY_ORDER = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.NOTE: 2}
_IMMATURE = (LifecycleStage.DISCOVERY, LifecycleStage.ALPHA)
_ASSESSED_ON_ENTRY = (LifecycleStage.ALPHA, LifecycleStage.BETA, LifecycleStage.LIVE)


def check_document(
    doc: ServiceDocument, directory: ServiceDirectory | None = None, today: dt.date | None = None
) -> list[Finding]:
    """Every finding for one service, most serious first.

    ``directory``: the other services known (usually the document's folder); without
    it the checks that need to know another service's lifecycle or evolution stage are
    skipped. ``today``: for overdue dates (default: the local date).
    """
    today = dt.date.today() if today is None else today
    findings = [
        *check_contract_complete(doc),  # first among the warnings: what an executive asks first
        *check_map(doc.map),
        *check_contract_and_map(doc, directory),
        *check_guidance_reviews(doc, today),
        *check_assessments(doc, today),
        *check_future_assessments(doc, today),
        *check_measures_recorded(doc, today),
        # Actions, mandates, CoEs awaiting review, unmet needs (analysis/governance.py).
        *governance_findings(doc, today),
    ]
    if directory is not None:
        findings += check_providers(doc, directory)
    return sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])


# The parts of the contract every service fills in, each in the contract form's words
# (views/contract_editor.py; tests/analysis/test_contract_complete.py holds the two
# together) with the point it belongs to. Lifecycle (2) always has a value; the
# dependencies (8) may rightly be none.
CONTRACT_PARTS: tuple[tuple[str, str], ...] = (
    ("Manager", ""),  # above point 1: who is accountable for the service
    ("Purpose", "point 1"),
    ("User needs", "point 1"),
    ("Evolution", "point 3"),
    ("How the service is used", "point 4"),
    ("Success", "point 5"),
    ("Failure", "point 5"),
    ("How performance is measured", "point 6"),
    ("How to get help", "point 7"),
)


def empty_contract_parts(doc: ServiceDocument) -> list[str]:
    """The words (``CONTRACT_PARTS``) of each required part left empty, in the form's order."""
    return [words for (words, _where), empty in zip(CONTRACT_PARTS, _part_is_empty(doc), strict=True) if empty]


def _part_is_empty(doc: ServiceDocument) -> list[bool]:
    c = doc.contract
    filled = (
        doc.service.manager.strip(), c.purpose.strip(), any(n.strip() for n in c.user_needs), c.evolution_stage,
        c.usage.strip(), c.expectations_success.strip(), c.expectations_failure.strip(), c.measures, c.help.strip(),
    )
    return [not value for value in filled]


def _empty_parts(doc: ServiceDocument) -> list[str]:
    return [f"{words} ({where})" if where else words
            for (words, where), empty in zip(CONTRACT_PARTS, _part_is_empty(doc), strict=True) if empty]


def check_contract_complete(doc: ServiceDocument) -> list[Finding]:
    """One finding naming every part of the contract left empty: a new service's blank
    contract was "Nothing to report", and its pack said "No findings" beside it."""
    empty = _empty_parts(doc)
    if not empty:
        return []
    if len(empty) == len(CONTRACT_PARTS):
        told = f"none of the contract's {len(CONTRACT_PARTS)} required parts is filled in: "
    elif len(empty) > 1:
        told = f"the contract leaves {len(empty)} of its {len(CONTRACT_PARTS)} required parts empty: "
    else:
        told = "the contract leaves a required part empty: "
    return [Finding("contract-incomplete", Severity.WARNING, told + ", ".join(empty), None)]


def check_map(m: WardleyMap) -> list[Finding]:
    out = _duplicate_names(m)
    ids = {c.id for c in m.components}
    for lk in m.links:
        for end in (lk.source, lk.target):
            if end not in ids:
                out.append(Finding("dangling-link", Severity.PROBLEM,
                                   f"a link refers to a component that is not on the map ({end})", lk.id))
    for c in m.components:
        if _unplaced(c):
            out.append(Finding("no-position", Severity.NOTE,
                               f"{c.name!r} has no position on the map; it is drawn at a default place", c.id))
    for r in m.raw_lines:
        if r.kind is RawKind.UNKNOWN:
            out.append(Finding("unknown-line", Severity.WARNING,
                               f"a map line OWM text does not define was kept as written: {r.text.strip()[:80]!r}", r.id))
    return out


def _duplicate_names(m: WardleyMap) -> list[Finding]:
    out: list[Finding] = []
    names = Counter(c.name for c in m.components)
    for c in m.components:
        if names[c.name] > 1:
            out.append(Finding("duplicate-name", Severity.PROBLEM,
                               f"{c.name!r} names {names[c.name]} components; links to it are ambiguous", c.id))
            names[c.name] = 0  # report each name once
    return out


def _unplaced(c: Component) -> bool:
    """A component that should have a position and has none (a pipeline child or a
    submap may go without)."""
    return c.pipeline_id is None and c.kind is not ComponentKind.SUBMAP and (c.visibility is None or c.evolution is None)


# -- contract against map ------------------------------------------------------------


class _Matcher:
    """Decides whether two references name one service, resolving each in the directory once.

    Ids decide when both sides have one (names get retyped; ids do not). Otherwise
    the normalised names, or, when a directory is known, whether both resolve to the
    same service file (a dependency typed as "Identity" before the map linked the
    "Identity service" file by id). Resolutions are cached: a map may link hundreds
    of components and each directory look-up walks every known service.
    """

    def __init__(self, directory: ServiceDirectory | None) -> None:
        self.directory = directory
        self._found: dict[tuple[str | None, str], ServiceSummary | None] = {}

    def resolve(self, service_id: str | None, name: str) -> ServiceSummary | None:
        if self.directory is None:
            return None
        key = (service_id, normalise_name(name))
        if key not in self._found:
            self._found[key] = self.directory.find(ServiceRef(name, service_id))
        return self._found[key]

    def same(self, a_id: str | None, a_name: str, b_id: str | None, b_name: str) -> bool:
        if a_id and b_id:
            return a_id == b_id
        if normalise_name(a_name) == normalise_name(b_name):
            return True
        a = self.resolve(a_id, a_name)
        return a is not None and a is self.resolve(b_id, b_name)


def same_service(
    a_id: str | None, a_name: str, b_id: str | None, b_name: str, directory: ServiceDirectory | None = None
) -> bool:
    """Whether two references (id and name) name one service; see ``_Matcher``."""
    return _Matcher(directory).same(a_id, a_name, b_id, b_name)


def _is_self(doc: ServiceDocument, ref: ServiceRef) -> bool:
    """A component this service provides itself is not a dependency."""
    return same_service(ref.service_id, ref.name, doc.service.id, doc.service.name)


def check_contract_and_map(doc: ServiceDocument, directory: ServiceDirectory | None = None) -> list[Finding]:
    """Contract point 8 and the map's ``provided_by`` links must tell the same story."""
    out: list[Finding] = []
    match = _Matcher(directory)
    linked = [(c, c.provided_by) for c in doc.map.components if c.provided_by is not None and not _is_self(doc, c.provided_by)]
    deps = doc.contract.dependencies
    for dep in deps:
        if not any(match.same(dep.service_id, dep.service_name, p.service_id, p.name) for _, p in linked):
            out.append(_dependency_not_on_map(doc, dep))
    for c, p in linked:
        if not any(match.same(p.service_id, p.name, d.service_id, d.service_name) for d in deps):
            out.append(Finding("link-not-in-contract", Severity.WARNING,
                               f"{c.name!r} is provided by {p.name!r}, which is not among the contract's dependencies",
                               c.id))
    return out


def _dependency_not_on_map(doc: ServiceDocument, dep: Dependency) -> Finding:
    wanted = normalise_name(dep.service_name)
    unlinked = next(
        (c for c in doc.map.components if c.provided_by is None and normalise_name(c.name) == wanted), None
    )
    hint = (
        f"; link the {unlinked.name!r} component to it"
        if unlinked is not None
        else "; add the component it provides to the map and link it"
    )
    return Finding("dependency-not-on-map", Severity.WARNING,
                   f"the contract depends on {dep.service_name!r}, but no map component is provided by it{hint}",
                   dep.id)


# -- against the services it depends on ---------------------------------------------------


def evolution_far_from(evolution: float, declared: EvolutionStage) -> bool:
    """Whether a component drawn at ``evolution`` contradicts its provider's declared stage.

    The rule: the stage it is drawn in (``stage_of``) is two or more stages from the
    declared one; or one stage away and more than ``EVOLUTION_TOLERANCE`` beyond the
    nearest edge of the declared stage. So for a provider declaring "product"
    (0.40-0.70) a component at 0.80 is fine (0.10 past the edge), at 0.90 it is not,
    and anywhere in genesis it is not.
    """
    gap = abs(stage_of(evolution) - declared.rank)
    if gap != 1:
        return gap >= 2
    low, high = _STAGE_EDGES[declared.rank], _STAGE_EDGES[declared.rank + 1]
    beyond = low - evolution if evolution < low else evolution - high
    return round(beyond, 9) > EVOLUTION_TOLERANCE  # 0.85 - 0.70 is 0.15000000000000002


def check_providers(doc: ServiceDocument, directory: ServiceDirectory) -> list[Finding]:
    """What the services this one depends on declare: their evolution and lifecycle."""
    match = _Matcher(directory)
    out = [f for c in doc.map.components if (f := _evolution_mismatch(doc, c, match)) is not None]
    for provider, element_id in _providers(doc, match):
        life = provider.lifecycle
        if life is LifecycleStage.RETIRED and doc.service.lifecycle is not LifecycleStage.RETIRED:
            out.append(Finding("depends-on-retired", Severity.WARNING,
                               f"this service depends on {provider.name!r}, which is retired", element_id))
        elif life in _IMMATURE and doc.service.lifecycle is LifecycleStage.LIVE:
            out.append(Finding("depends-on-immature", Severity.WARNING,
                               f"this live service depends on {provider.name!r}, which is still in {life}", element_id))
    return out


def _evolution_mismatch(doc: ServiceDocument, c: Component, match: _Matcher) -> Finding | None:
    """A component drawn far from the evolution its provider declares."""
    p = c.provided_by
    if p is None or c.evolution is None or _is_self(doc, p):
        return None
    provider = match.resolve(p.service_id, p.name)
    if provider is None or provider.service_id == doc.service.id or provider.evolution_stage is None:
        return None
    if not evolution_far_from(c.evolution, provider.evolution_stage):
        return None
    drawn = _STAGES[stage_of(c.evolution)]
    return Finding("evolution-mismatch", Severity.WARNING,
                   f"{c.name!r} is drawn as {drawn} ({c.evolution:.2f}), but {provider.name!r} "
                   f"declares itself {provider.evolution_stage}", c.id)


def _providers(doc: ServiceDocument, match: _Matcher) -> list[tuple[ServiceSummary, str]]:
    """Known services this one depends on, each once, with the element that says so.

    The contract's dependency is preferred to a map component as the element to go
    to: the contract is what the executive holds the service to.
    """
    refs = [(d.service_id, d.service_name, d.id) for d in doc.contract.dependencies]
    refs += [(c.provided_by.service_id, c.provided_by.name, c.id) for c in doc.map.components if c.provided_by is not None]
    found: dict[str, tuple[ServiceSummary, str]] = {}
    for service_id, name, element_id in refs:
        provider = match.resolve(service_id, name)
        if provider is not None and provider.service_id != doc.service.id:
            found.setdefault(provider.service_id, (provider, element_id))
    return list(found.values())


# -- guidance and assessments ------------------------------------------------------------


def check_guidance_reviews(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    """A rejection promised a review by a date; after it, the rejection is stale."""
    return [
        Finding("guidance-review-overdue", Severity.WARNING,
                f"the rejection of guidance {d.guidance.id} {d.guidance.title!r} was due for review on {d.review_by}",
                d.id)
        for d in doc.decisions
        if review_overdue(d, today)
    ]


def check_assessments(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    """Assessments OSOM asks for: on entering alpha, beta and live, and regularly once live.

    Retired services are not asked for either (no users to protect). A service
    written into OSOM after it already existed may never have had its transition
    assessments; the finding then says so, and an assessment recorded for the stage
    it is in clears it. Assessments dated after ``today`` have not happened yet.
    """
    out: list[Finding] = []
    life = doc.service.lifecycle
    taken_place = held(doc.assessments, today)
    if life is LifecycleStage.LIVE:
        last = last_assessment(doc.assessments, today)
        if last is None:
            # "No assessment recorded" would contradict the file when one is recorded
            # for a later date: say what is there and why it does not count.
            ahead = _future(doc, today)
            recorded = ("this live service has no assessment held yet (the only ones recorded are dated "
                        f"after today: {', '.join(str(a.date) for a in ahead)})" if ahead
                        else "this live service has no assessment recorded")
            return [Finding("assessment-overdue", Severity.WARNING,
                            f"{recorded}: OSOM assesses the move into live, then regularly", None)]
        days = days_since(last, today)
        if periodic_overdue(doc.assessments, today):
            out.append(Finding("assessment-overdue", Severity.WARNING,
                               f"last assessed on {last.date}, {days} days ago: live services are assessed "
                               "at least every 12 months", last.id))
    if life in _ASSESSED_ON_ENTRY and not any(
        a.kind is AssessmentKind.TRANSITION and a.to_stage is life for a in taken_place
    ):
        out.append(Finding("assessment-overdue", Severity.WARNING,
                           f"no assessment is recorded for the move into {life}", None))
    return out


def _future(doc: ServiceDocument, today: dt.date) -> list[Assessment]:
    """The assessments dated after ``today``, earliest first."""
    return sorted((a for a in doc.assessments if a.date > today), key=lambda a: a.date)


def check_future_assessments(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    """Each assessment dated after today: its results cannot have happened yet (a plan
    written as a record, or a mistyped year). It is never taken as the last assessment
    (``assessment_dates``), so it cannot hide an overdue one; this says why a recorded
    assessment is not counted, rather than leaving the reader to wonder."""
    return [Finding("assessment-in-future", Severity.NOTE,
                    f"the assessment dated {a.date} is after today ({today}): it is not counted as held "
                    "until that day; if the date is mistyped, correct it", a.id)
            for a in _future(doc, today)]


def check_measures_recorded(doc: ServiceDocument, today: dt.date) -> list[Finding]:
    """A measure promised to be recorded (daily ... yearly) whose latest value is older
    than that: the service has stopped publishing it. Retired services publish nothing."""
    if doc.service.lifecycle is LifecycleStage.RETIRED:
        return []
    out: list[Finding] = []
    for m in doc.contract.measures:
        if m.frequency is None:
            continue
        last = max((v.date for v in m.values if v.date <= today), default=None)
        if last is None:
            out.append(Finding("measure-overdue", Severity.WARNING,
                               f"measure {m.name!r} is recorded {m.frequency} but has no value yet", m.id))
        elif (today - last).days > m.frequency.days:
            out.append(Finding("measure-overdue", Severity.WARNING,
                               f"measure {m.name!r} is recorded {m.frequency}; its last value is from {last}, "
                               f"{(today - last).days} days ago", m.id))
    return out
