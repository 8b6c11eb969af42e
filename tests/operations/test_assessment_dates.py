"""One "last assessed" rule: an assessment dated after today has not happened."""

from __future__ import annotations

import datetime as dt

from osom_desktop.analysis.assessment_dates import last_assessment, periodic_overdue
from osom_desktop.analysis.service_checks import check_assessments
from osom_desktop.model import Assessment, LifecycleStage, ServiceDocument

TODAY = dt.date(2026, 12, 2)


def periodic(day: dt.date) -> Assessment:
    return Assessment(date=day, kind="periodic", outcome="met")


def test_a_future_dated_assessment_is_not_the_last_one() -> None:
    past, future = periodic(dt.date(2024, 9, 23)), periodic(dt.date(2027, 1, 1))
    assert last_assessment([past, future], TODAY) is past
    assert periodic_overdue([past, future], TODAY)  # 800 days: the future one does not count
    assert last_assessment([future], TODAY) is None and periodic_overdue([future], TODAY)


def test_an_assessment_today_counts_and_a_tie_takes_the_later_recorded() -> None:
    a, b = periodic(TODAY), periodic(TODAY)
    assert last_assessment([a, b], TODAY) is b
    assert not periodic_overdue([a], TODAY)
    assert periodic_overdue([periodic(TODAY - dt.timedelta(days=366))], TODAY)
    assert not periodic_overdue([periodic(TODAY - dt.timedelta(days=365))], TODAY)


def test_findings_say_what_the_rule_says() -> None:
    doc = ServiceDocument()
    doc.service.lifecycle = LifecycleStage.LIVE
    doc.assessments = [periodic(dt.date(2024, 9, 23)), periodic(dt.date(2027, 1, 1))]
    messages = [f.message for f in check_assessments(doc, TODAY)]
    assert any("last assessed on 2024-09-23, 800 days ago" in m for m in messages)
