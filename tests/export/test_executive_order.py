"""The executive pack lists services and guidance items as a person counts (found by tester
T3): "What breaks if a service fails" put Service 10 before Service 2 (letter order), and
the overdue sentence ran on into the next without a full stop. Real files, the real
template."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from osom_desktop.analysis.network import load_network
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from tests.analysis.services import dependency, document, saved

TODAY = dt.date(2026, 12, 3)


def test_the_biggest_blast_radii_tie_in_counting_order(tmp_path: Path) -> None:
    folder = tmp_path / "estate"
    providers = [("Service 10", "s10"), ("Service 2", "s2"), ("service 1", "s1")]
    for name, sid in providers:
        saved(document(name, sid=sid), folder)
    saved(document("Apply Online", sid="apply", deps=[dependency(n, s) for n, s in providers]), folder)

    context = executive_context(load_network(folder), folder, TODAY)

    assert [row["name"] for row in context["biggest"]] == ["service 1", "Service 2", "Service 10"]
    html = render_executive_html(context)
    text = re.sub(r"<[^>]+>", "", html)
    sentence = re.search(r"services? (are|is) overdue an assessment[^.]*\.", text)
    assert sentence is not None
    assert "assessment. Each service" in text or ". Each service's section" in text
