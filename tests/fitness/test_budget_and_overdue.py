"""Budgets allocated through the operation, spend summed from cost measures, and overdue measures."""

from __future__ import annotations

import datetime as dt

import pytest

from osom_desktop.analysis.service_checks import check_document
from osom_desktop.fitness.budget import budget_bars, spent_in
from osom_desktop.model.document import Document
from osom_desktop.model.errors import ModelValidationError
from osom_desktop.model.service import (
    Budget,
    LifecycleStage,
    Measure,
    RecordedValue,
    RecordingFrequency,
    Service,
    ServiceDocument,
)
from osom_desktop.operations import allocate_budget

YEAR = Budget(start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31), amount=1000, unit="GBP")


def doc() -> ServiceDocument:
    d = ServiceDocument(service=Service(name="Payments", lifecycle=LifecycleStage.LIVE))
    d.contract.measures = [
        Measure(name="Cost", unit="GBP", cost=True, values=[
            RecordedValue(date=dt.date(2026, 3, 31), value=500),  # the year before: not counted
            RecordedValue(date=dt.date(2026, 4, 1), value=300),
            RecordedValue(date=dt.date(2027, 3, 31), value=900)]),
        Measure(name="Cloud", unit="EUR", cost=True, values=[RecordedValue(date=dt.date(2026, 5, 1), value=7)]),
        Measure(name="Transactions", unit="count", values=[RecordedValue(date=dt.date(2026, 5, 1), value=99)]),
    ]
    return d


def test_allocating_a_budget_is_one_undoable_record_and_overlaps_are_refused() -> None:
    d = Document(doc())
    plan = allocate_budget(d, YEAR)
    plan.apply()
    assert d.data.budgets == [YEAR]
    with pytest.raises(ModelValidationError, match="overlaps the budget for 2026-04-01 – 2027-03-31"):
        allocate_budget(d, Budget(start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), amount=5, unit="GBP"))
    with pytest.raises(ModelValidationError, match="ends before it starts"):
        allocate_budget(d, Budget(start=dt.date(2028, 1, 1), end=dt.date(2027, 12, 31), amount=5, unit="GBP"))
    plan.revert()
    assert d.data.budgets == []


def test_spend_counts_cost_measures_of_the_budgets_currency_within_its_period() -> None:
    d = doc()
    d.budgets = [YEAR]
    assert spent_in(d, YEAR) == 1200  # 300 + 900; not March's 500, not the EUR, not transactions
    (bar,) = budget_bars(d)
    assert (bar.allocated, bar.spent, bar.label) == (1000, 1200, "2026-04-01 – 2027-03-31")


def test_a_measure_not_recorded_as_often_as_promised_is_a_finding() -> None:
    d = doc()
    d.contract.measures[2].frequency = RecordingFrequency.MONTHLY
    codes = lambda today: [f.message for f in check_document(d, today=today) if f.code == "measure-overdue"]  # noqa: E731
    assert codes(dt.date(2026, 6, 1)) == []  # 31 days after 2026-05-01: still in time
    assert codes(dt.date(2026, 6, 2)) == [
        "measure 'Transactions' is recorded monthly; its last value is from 2026-05-01, 32 days ago"]
    d.contract.measures[1].frequency = RecordingFrequency.WEEKLY
    d.contract.measures[1].values = []
    assert "measure 'Cloud' is recorded weekly but has no value yet" in codes(dt.date(2026, 6, 2))
    d.service.lifecycle = LifecycleStage.RETIRED
    assert codes(dt.date(2030, 1, 1)) == []
