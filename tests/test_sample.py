"""The bundled sample is what a newcomer sees first: it must open clean."""

from __future__ import annotations

from osom_desktop.analysis.service_checks import check_document
from osom_desktop.samples import sample_document


def test_sample_service_has_no_problems_and_fills_every_contract_point() -> None:
    doc = sample_document()
    c = doc.contract
    assert doc.service.name and doc.service.manager
    assert c.purpose and c.user_needs and c.evolution_stage and c.usage
    assert c.expectations_success and c.expectations_failure and c.measures and c.help and c.dependencies
    assert doc.map.counts()["unknown_lines"] == 0
    codes = {f.code for f in check_document(doc)}
    assert not codes & {"dependency-not-on-map", "link-not-in-contract", "duplicate-name", "dangling-link"}, codes
