"""When a rejection of guidance is due for review: one rule for the Findings, the
Guidance dock and the governance pack.

A rejection may promise a review by a date; from the day after that date the review
is overdue (on the date itself it is still on time). Accepted guidance needs no
review.
"""

from __future__ import annotations

import datetime as dt

from osom_desktop.model.service import DecisionStatus, GuidanceDecision


def review_overdue(decision: GuidanceDecision, today: dt.date | None = None) -> bool:
    today = dt.date.today() if today is None else today
    return decision.status is DecisionStatus.REJECTED and decision.review_by is not None and decision.review_by < today
