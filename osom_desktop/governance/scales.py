"""The scales a criteria set can decide on, best value first.

A set names one scale; every decision recorded against one of its criteria is a value
of it. Which values count as a pass matters for findings and for the heat-map: the
first value is the best, and ``passing`` says which ones meet the criterion.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    label: str
    values: tuple[str, ...]  # best first
    passing: frozenset[str]

    def score(self, value: str) -> float | None:
        """0.0 (worst) .. 1.0 (best), for colouring a heat-map; None if not on the scale."""
        if value not in self.values:
            return None
        if len(self.values) == 1:
            return 1.0
        return 1.0 - self.values.index(value) / (len(self.values) - 1)


SCALES: dict[str, Scale] = {
    s.id: s
    for s in (
        Scale("met-not-met", "Met / not met", ("met", "not met"), frozenset({"met"})),
        Scale("red-amber-green", "Green / amber / red", ("green", "amber", "red"), frozenset({"green", "amber"})),
        Scale("one-to-five", "1 to 5 (5 best)", ("5", "4", "3", "2", "1"), frozenset({"5", "4", "3"})),
    )
}

# Amber means "met, with something to put right": its action is due in three months
# unless the assessors say otherwise.
AMBER_DUE_MONTHS = 3


def scale_of(scale_id: str) -> Scale | None:
    return SCALES.get(scale_id)
