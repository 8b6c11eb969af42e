"""When a service was last assessed, and whether its periodic assessment is due: one
rule, used by the Findings checks and the Assessments dock alike.

The rule: an assessment dated after today has not happened yet (it is planned, or
its date was mistyped), so it is never "the last assessment" and never makes a
periodic assessment look done. The last assessment is the latest one dated today or
earlier. A live service is due for its periodic assessment when it has none, or when
the last one is more than ``ASSESSMENT_INTERVAL_DAYS`` old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from osom_desktop.model.service import Assessment

# OSOM: services are assessed at each lifecycle transition and "regularly once live",
# without saying how often. Twelve months is the longest gap that still reads as
# regular to an executive, and matches the yearly budget cycle most organisations run;
# a shorter cadence would flag services that are being governed as intended.
ASSESSMENT_INTERVAL_DAYS = 365


def has_taken_place(a: Assessment, today: dt.date | None = None) -> bool:
    return a.date <= (dt.date.today() if today is None else today)


def held(assessments: Iterable[Assessment], today: dt.date | None = None) -> list[Assessment]:
    """The assessments that have taken place by ``today`` (in their recorded order)."""
    today = dt.date.today() if today is None else today
    return [a for a in assessments if has_taken_place(a, today)]


def last_assessment(assessments: Iterable[Assessment], today: dt.date | None = None) -> Assessment | None:
    """The latest assessment dated on or before ``today`` (the later recorded on a tie)."""
    found: Assessment | None = None
    for a in held(assessments, today):
        if found is None or a.date >= found.date:
            found = a
    return found


def days_since(a: Assessment, today: dt.date | None = None) -> int:
    return ((dt.date.today() if today is None else today) - a.date).days


def periodic_overdue(assessments: Iterable[Assessment], today: dt.date | None = None) -> bool:
    """Whether a live service's periodic assessment is due (none held, or too old)."""
    last = last_assessment(assessments, today)
    return last is None or days_since(last, today) > ASSESSMENT_INTERVAL_DAYS
