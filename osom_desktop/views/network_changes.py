"""A service's "changes to its map since the last assessment", as the network window shows it.

The same comparison as the governance pack (``analysis.map_diff`` against the map kept
with the last assessment that has taken place), in plain text for a dialog.
"""

from __future__ import annotations

import datetime as dt

from osom_desktop.analysis.assessment_dates import last_assessment
from osom_desktop.analysis.map_diff import map_changes
from osom_desktop.model.service import ServiceDocument


def changes_text(doc: ServiceDocument, today: dt.date) -> str:
    last = last_assessment(doc.assessments, today)
    if last is None:
        return "No assessment yet, so there is nothing to compare the map with."
    if last.map_snapshot is None:
        return (f"The assessment of {last.date.isoformat()} did not keep the map as it was, "
                "so changes since then cannot be shown.")
    ch = map_changes(last.map_snapshot, doc.map)
    if ch.empty:
        return f"No components added, removed or moved since the assessment of {last.date.isoformat()}."
    lines = [f"Since the assessment of {last.date.isoformat()}:"]
    if ch.added:
        lines.append("Added: " + ", ".join(" ".join(a.split()) for a in ch.added))
    if ch.removed:
        lines.append("Removed: " + ", ".join(" ".join(r.split()) for r in ch.removed))
    for m in ch.moved:
        lines.append(f"Moved along evolution: {' '.join(m.name.split())} "
                     f"({m.old_evolution:.2f} -> {m.new_evolution:.2f})")
    return "\n".join(lines)
