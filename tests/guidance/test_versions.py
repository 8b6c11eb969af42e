"""newer_versions: tell the manager guidance was republished, never rewrite a decision."""

from __future__ import annotations

import datetime as dt

import pytest

from osom_desktop.guidance import (
    EXAMPLE_CATALOGUE,
    Catalogue,
    is_newer,
    load_catalogue,
    newer_versions,
)
from osom_desktop.model.service import DecisionStatus, GuidanceDecision, GuidanceItem
from osom_desktop.samples import sample_document


def test_sample_decision_is_current_in_example_catalogue() -> None:
    doc = sample_document()
    assert newer_versions(doc.decisions, load_catalogue(EXAMPLE_CATALOGUE)) == []


def test_newer_version_is_reported_and_decision_keeps_its_snapshot() -> None:
    doc = sample_document()
    before = [d.model_dump() for d in doc.decisions]
    cat = load_catalogue(EXAMPLE_CATALOGUE)
    republished = cat.item("G-014").model_copy(update={"version": "3", "text": "Now with exceptions."})
    cat.items = [republished if it.id == "G-014" else it for it in cat.items]

    pairs = newer_versions(doc.decisions, cat)

    assert pairs == [(doc.decisions[0], republished)]
    assert [d.model_dump() for d in doc.decisions] == before
    assert doc.decisions[0].guidance.version == "2"


def _decision(gid: str, version: str) -> GuidanceDecision:
    return GuidanceDecision(
        guidance=GuidanceItem(id=gid, version=version, title="T"),
        status=DecisionStatus.ACCEPTED,
        decided_on=dt.date(2026, 1, 1),
    )


def test_same_older_or_unlisted_versions_are_not_newer() -> None:
    cat = Catalogue(items=[GuidanceItem(id="A", version="2", title="T"), GuidanceItem(id="B", version="2", title="T")])
    decisions = [_decision("A", "2"), _decision("B", "3"), _decision("C", "1")]
    assert newer_versions(decisions, cat) == []


def test_accepted_decisions_are_reported_too() -> None:
    cat = Catalogue(items=[GuidanceItem(id="A", version="10", title="T")])
    d = _decision("A", "9")
    assert newer_versions([d], cat) == [(d, cat.items[0])]


@pytest.mark.parametrize(
    ("newer", "older"),
    [("10", "9"), ("1.10", "1.9"), ("v2", "v1"), ("2026-03", "2025-12"), ("2b", "2a"), ("2", "")],
)
def test_versions_compare_as_people_number_them(newer: str, older: str) -> None:
    assert is_newer(newer, older)
    assert not is_newer(older, newer)
    assert not is_newer(newer, newer)
