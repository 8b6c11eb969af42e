"""Telling a service manager that guidance they decided on has been republished.

A decision keeps a snapshot of the guidance as it was when decided
(``GuidanceDecision.guidance``): the rejection the executive reads at assessment must
be of the text the manager actually rejected. So a newer catalogue never rewrites a
decision; it only lets the app say "G-014 is now at version 3: review your decision".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from osom_desktop.guidance.catalogue import Catalogue
from osom_desktop.model.service import GuidanceDecision, GuidanceItem

_RUNS = re.compile(r"\d+|\D+")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders versions as people number them: "2" < "10", "1.9" < "1.10", "v2" < "v10".

    Digit runs compare as numbers, other runs as case-folded text; a digit run sorts
    before a text run at the same place, so every pair of strings is comparable.
    """
    return tuple(
        (0, int(run)) if run.isdigit() else (1, run.casefold()) for run in _RUNS.findall(version.strip())
    )


def is_newer(candidate: str, than: str) -> bool:
    return version_key(candidate) > version_key(than)


def newer_versions(
    decisions: Iterable[GuidanceDecision], catalogue: Catalogue
) -> list[tuple[GuidanceDecision, GuidanceItem]]:
    """Each decision whose guidance the catalogue now publishes at a later version.

    Pairs of (the decision, unchanged; the catalogue's newer item), in the decisions'
    order. Decisions on guidance the catalogue does not list, or lists at the same or
    an older version, are left out. Nothing is modified.
    """
    by_id = {item.id: item for item in catalogue.items}
    out: list[tuple[GuidanceDecision, GuidanceItem]] = []
    for decision in decisions:
        current = by_id.get(decision.guidance.id)
        if current is not None and is_newer(current.version, decision.guidance.version):
            out.append((decision, current))
    return out
