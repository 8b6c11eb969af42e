"""A live service's contract changes only with a reason, and each change is recorded;
the Inspector's link and the contract editor's dependency follow the same rule."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceSummary
from osom_desktop.model import (
    Contract,
    Dependency,
    Document,
    EvolutionStage,
    LifecycleStage,
    Measure,
    MeasureDirection,
    ModelValidationError,
    RecordedValue,
    ServiceRef,
)
from osom_desktop.operations import (
    Offer,
    Reason,
    ReasonRequired,
    add_dependency,
    change_contract,
    change_manager,
    describe_contract_change,
    link_to_service,
    record_value,
    rename_service,
)
from osom_desktop.samples import sample_document

DAY = dt.date(2026, 6, 1)


def test_a_live_contract_change_needs_a_reason_and_is_recorded_with_it(live: Document) -> None:
    before = copy.deepcopy(live.data)
    with pytest.raises(ReasonRequired) as refused:
        change_contract(live, "Edit purpose", {"purpose": "Tea for all"})
    assert refused.value.summary == "Purpose set: 'Tea for all'" and refused.value.keyword == "reason"
    assert live.data == before  # a refusal changes nothing
    plan = change_contract(live, "Edit purpose", {"purpose": "Tea for all"}, reason=Reason("Board asked", "Bo"), today=DAY)
    plan.apply()
    [change] = live.data.contract_changes
    assert (change.date, change.reason, change.author, change.summary) == (DAY, "Board asked", "Bo", "Purpose set: 'Tea for all'")
    plan.revert()
    assert live.data == before


def test_a_blank_reason_is_no_reason(live: Document) -> None:
    with pytest.raises(ReasonRequired):
        change_contract(live, "Edit", {"help": "Call us"}, reason=Reason("   "))


def test_before_live_no_reason_is_asked_and_nothing_is_logged(beta: Document) -> None:
    plan = change_contract(beta, "Edit purpose", {"purpose": "Tea"})
    plan.apply()
    assert beta.data.contract.purpose == "Tea" and beta.data.contract_changes == []


def test_recorded_values_are_not_terms_no_reason_even_when_live(live: Document) -> None:
    measure = Measure(name="Cups", target=100)
    change_contract(live, "Add", {"measures": [measure.model_dump()]}, reason=Reason("x")).apply()
    plan = record_value(live, measure.id, RecordedValue(date=DAY, value=97))
    plan.apply()
    assert live.data.contract.measures[0].values[0].value == 97
    assert len(live.data.contract_changes) == 1  # only the measure's addition


def test_recorded_values_stay_in_date_order(beta: Document) -> None:
    measure = Measure(name="Cups")
    change_contract(beta, "Add", {"measures": [measure.model_dump()]}).apply()
    for day, value in ((3, 1.0), (1, 2.0), (3, 3.0), (2, 4.0)):
        record_value(beta, measure.id, RecordedValue(date=dt.date(2026, 1, day), value=value)).apply()
    assert [v.value for v in beta.data.contract.measures[0].values] == [2.0, 4.0, 1.0, 3.0]


def test_no_change_is_an_empty_plan_and_a_bad_value_names_the_field(live: Document) -> None:
    assert not change_contract(live, "Edit", {"purpose": ""})
    with pytest.raises(ModelValidationError, match="Contract.evolution_stage"):
        change_contract(live, "Edit", {"evolution_stage": "ancient"})


def test_renaming_a_live_service_or_changing_its_manager_is_logged(live: Document) -> None:
    with pytest.raises(ReasonRequired, match="Service name"):
        rename_service(live, "Tea Rooms")
    rename_service(live, " Tea Rooms ", reason=Reason("New brand"), today=DAY).apply()
    change_manager(live, "Sam", reason=Reason("Ann moved on"), today=DAY).apply()
    assert (live.data.service.name, live.data.service.manager) == ("Tea Rooms", "Sam")
    assert [(c.reason, c.summary) for c in live.data.contract_changes] == [
        ("New brand", "Service name: 'Tea Shop' → 'Tea Rooms'"),
        ("Ann moved on", "Service manager: 'Ann' → 'Sam'"),
    ]


def test_renaming_before_live_is_not_logged(beta: Document) -> None:
    rename_service(beta, "Tea Rooms").apply()
    assert beta.data.service.name == "Tea Rooms" and beta.data.contract_changes == []


def test_a_blank_service_name_is_refused(live: Document) -> None:
    with pytest.raises(ModelValidationError, match="Service.name"):
        rename_service(live, "  ", reason=Reason("x"))


# -- the Inspector's link: the bypass issue 12 found ---------------------------------------------


def test_linking_a_component_offers_the_dependency(live: Document) -> None:
    with pytest.raises(Offer) as offered:
        link_to_service(live, "power", ServiceRef(name="Power Grid", service_id="pg"))
    assert offered.value.keyword == "add_dependency"
    assert "not among this service's contract dependencies" in offered.value.question


def test_yes_to_add_dependency_on_a_live_service_records_a_contract_change(live: Document) -> None:
    ref = ServiceRef(name="Power Grid", service_id="pg")
    before = copy.deepcopy(live.data)
    with pytest.raises(ReasonRequired) as refused:
        link_to_service(live, "power", ref, add_dependency=True)
    assert refused.value.summary == "Dependency added: Power Grid"
    plan = link_to_service(live, "power", ref, add_dependency=True, reason=Reason("Grid power", "Ann"), today=DAY)
    plan.apply()
    assert live.map.component("power").provided_by == ref
    [dep] = live.data.contract.dependencies
    assert (dep.service_name, dep.service_id, dep.description) == ("Power Grid", "pg", "Provides Power")
    [change] = live.data.contract_changes
    assert (change.reason, change.summary) == ("Grid power", "Dependency added: Power Grid")
    plan.revert()
    assert live.data == before


def test_no_to_add_dependency_links_the_map_only(live: Document) -> None:
    plan = link_to_service(live, "power", ServiceRef(name="Power Grid"), add_dependency=False)
    plan.apply()
    assert live.map.component("power").provided_by == ServiceRef(name="Power Grid")
    assert live.data.contract.dependencies == [] and live.data.contract_changes == []


def test_a_listed_provider_asks_nothing(live: Document) -> None:
    change_contract(live, "Dep", {"dependencies": [Dependency(service_name="power grid").model_dump()]},
                    reason=Reason("x")).apply()
    plan = link_to_service(live, "power", ServiceRef(name="Power  Grid"))  # same name, normalised
    plan.apply()
    assert len(live.data.contract_changes) == 1  # only the dependency added above


def test_unlinking_and_relinking_the_same_provider(live: Document) -> None:
    assert not link_to_service(live, "power", None)  # not linked: nothing to do
    link_to_service(live, "power", ServiceRef(name="Grid"), add_dependency=False).apply()
    assert not link_to_service(live, "power", ServiceRef(name="Grid"))
    link_to_service(live, "power", None).apply()
    assert live.map.component("power").provided_by is None


# -- adding a dependency from the contract ---------------------------------------------------------


def test_adding_a_dependency_offers_the_map_and_places_the_component_by_declared_stage(live: Document) -> None:
    known = [ServiceSummary(service_id="pg", name="Power Grid", manager="", lifecycle=LifecycleStage.LIVE,
                            evolution_stage=EvolutionStage.COMMODITY, path=Path("power.osom"))]
    dep = Dependency(service_name="Power Grid", description="Electricity")
    with pytest.raises(Offer) as offered:
        add_dependency(live, dep, services=known)
    assert offered.value.keyword == "show_on_map"
    with pytest.raises(ReasonRequired):
        add_dependency(live, dep, services=known, show_on_map=True)
    add_dependency(live, dep, services=known, show_on_map=True, reason=Reason("Needs power")).apply()
    [added] = live.data.contract.dependencies
    assert added.service_id == "pg"  # a stable reference to the known file
    new = live.map.component_by_name("Power Grid")
    assert new.provided_by == ServiceRef(name="Power Grid", service_id="pg")
    assert new.evolution == 0.85  # the middle of commodity (model's stage boundaries)
    assert live.data.contract_changes[0].summary == "Dependency added: Power Grid"


def test_a_component_of_that_name_is_marked_rather_than_added(beta: Document) -> None:
    add_dependency(beta, Dependency(service_name="Power"), show_on_map=True).apply()
    assert [c.name for c in beta.map.components] == ["Cup of Tea", "Power"]
    assert beta.map.component("power").provided_by == ServiceRef(name="Power")


def test_a_second_dependency_on_the_same_service_is_refused(beta: Document) -> None:
    add_dependency(beta, Dependency(service_name="Power"), show_on_map=False).apply()
    with pytest.raises(ModelValidationError, match="already depends on it"):
        add_dependency(beta, Dependency(service_name="power"), show_on_map=False)


# -- the summary a ContractChange carries ----------------------------------------------------------


def test_describe_contract_change_names_each_term_and_ignores_recorded_values() -> None:
    old = sample_document().contract
    new = old.model_copy(deep=True)
    new.measures[0].values = []
    assert describe_contract_change(old, new) == ""
    new.measures[0].target = 97
    new.user_needs = old.user_needs[:1]
    new.dependencies = old.dependencies + [Dependency(service_name="Print")]
    new.measures.append(Measure(name="Cost", unit="£", target=0.02, direction=MeasureDirection.LOWER_IS_BETTER))
    lines = describe_contract_change(old, new).splitlines()
    assert "User need removed: 'As a service team I need to send a message without building…'" in lines
    assert "Measure 'Delivered within 10 minutes' target: 95 → 97" in lines
    assert "Measure added: 'Cost' (target 0.02 £, lower is better)" in lines
    assert "Dependency added: Print" in lines
    assert describe_contract_change(Contract(), Contract(purpose="x")) == "Purpose set: 'x'"
