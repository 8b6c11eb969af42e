"""Guidance across the network: every rejection, not only those shared by several services.

One row per rejection with reason, alternative and accepted risk side by side, its
review-by date and whether the review is overdue (``review_dates.review_overdue``, the
one rule), and whether the rejected version is older than the newest version of the
same item any service in the folder has decided on (the item has changed since).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from osom_desktop.analysis.directory import natural_key
from osom_desktop.analysis.review_dates import review_overdue
from osom_desktop.guidance.versions import version_key
from osom_desktop.model.service import DecisionStatus

if TYPE_CHECKING:
    from osom_desktop.analysis.network import Network


def newest_versions(net: Network) -> dict[str, str]:
    """Guidance id -> the newest version any service decided on."""
    newest: dict[str, str] = {}
    for doc in net.documents.values():
        for d in doc.decisions:
            v = d.guidance.version
            if d.guidance.id not in newest or version_key(v) > version_key(newest[d.guidance.id]):
                newest[d.guidance.id] = v
    return newest


def guidance_rejections(net: Network, today: dt.date) -> list[dict[str, Any]]:
    """Every rejection in the folder, by guidance id then service."""
    newest = newest_versions(net)
    out = []
    for sid in net.services():
        for d in net.documents[sid].decisions:
            if d.status is not DecisionStatus.REJECTED:
                continue
            latest = newest[d.guidance.id]
            out.append({
                "guidance_id": d.guidance.id, "title": d.guidance.title, "version": d.guidance.version,
                "service_id": sid, "service": net.name(sid),
                "reason": d.reason, "alternative": d.alternative, "accepted_risk": d.accepted_risk,
                "decided_on": d.decided_on.isoformat(),
                "review_by": d.review_by.isoformat() if d.review_by else None,
                "review_overdue": review_overdue(d, today),
                "newer_version": latest if version_key(latest) > version_key(d.guidance.version) else None,
            })
    # Items and services as a person counts them (G-2 before G-10, Service 2 before Service
    # 10): the window's table keeps this order among a sorted column's equal cells.
    return sorted(out, key=lambda r: (natural_key(r["guidance_id"]), natural_key(r["service"]), r["guidance_id"]))
