"""Spend against budget: what a service's cost measures recorded in each budget's period."""

from __future__ import annotations

from dataclasses import dataclass

from osom_desktop.model.service import Budget, ServiceDocument


@dataclass(frozen=True, slots=True)
class BudgetBar:
    label: str  # the period, "2026-04-01 – 2027-03-31"
    allocated: float
    spent: float
    unit: str = ""


def spent_in(doc: ServiceDocument, budget: Budget) -> float:
    """The sum of the service's cost-measure values dated within the budget's period, in
    the budget's currency (a cost measure in another unit is not added: it is not money
    of the same kind)."""
    return sum(
        v.value
        for m in doc.contract.measures
        if m.cost and (not budget.unit or m.unit.strip() == budget.unit.strip())
        for v in m.values
        if budget.start <= v.date <= budget.end
    )


def budget_bars(doc: ServiceDocument) -> list[BudgetBar]:
    return [BudgetBar(f"{b.start:%Y-%m-%d} – {b.end:%Y-%m-%d}", b.amount, spent_in(doc, b), b.unit)
            for b in sorted(doc.budgets, key=lambda b: b.start)]
