"""The network view's answers, on small networks written as real .osom files."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.analysis.duplication import capability_key, near_identical
from osom_desktop.analysis.network import (
    EXTERNAL_PREFIX,
    Network,
    blast_radius,
    custom_vs_commodity,
    cycle_groups,
    cycles,
    duplication,
    external_dependencies,
    guidance_rejected_by_several,
    immature_dependencies,
    load_network,
    network_findings,
    overdue_assessments,
    service_rows,
)
from osom_desktop.model.service import (
    DecisionStatus,
    GuidanceDecision,
    GuidanceItem,
    LifecycleStage,
    ServiceDocument,
)
from osom_desktop.model.wardley import Component, ComponentKind, Method
from tests.analysis.services import (
    TODAY,
    component,
    dependency,
    document,
    saved,
    transition,
)

LIVE, ALPHA, RETIRED = LifecycleStage.LIVE, LifecycleStage.ALPHA, LifecycleStage.RETIRED


def network(tmp_path: Path, *docs: ServiceDocument) -> Network:
    for doc in docs:
        saved(doc, tmp_path / "services")
    net = load_network(tmp_path / "services")
    assert net.unreadable == []
    return net


def codes(net: Network) -> set[str]:
    return {f.code for f in network_findings(net, TODAY)}


def rejected(gid: str, reason: str) -> GuidanceDecision:
    return GuidanceDecision(guidance=GuidanceItem(id=gid, title=f"Guidance {gid}"), status=DecisionStatus.REJECTED,
                            reason=reason, decided_on=dt.date(2026, 1, 1))


# -- loading ---------------------------------------------------------------------------


def test_edges_come_from_contracts_and_maps_and_subfolders(tmp_path: Path) -> None:
    a = document("A", deps=[dependency("B", "svc-b")], components=[component("Hosting", by="B"), component("Card", by="C")])
    saved(document("C"), tmp_path / "services" / "team")
    net = network(tmp_path, a, document("B"))
    assert net.graph.edges["svc-a", "svc-b"]["sources"] == {"contract", "map"}
    assert net.graph.edges["svc-a", "svc-c"]["sources"] == {"map"}
    assert set(net.graph.nodes) == {"svc-a", "svc-b", "svc-c"}


def test_unreadable_file_is_listed_with_its_reason(tmp_path: Path) -> None:
    saved(document("A"), tmp_path)
    (tmp_path / "broken.osom").write_bytes(b"not a database at all")
    net = load_network(tmp_path)
    assert list(net.graph.nodes) == ["svc-a"]
    [(path, reason)] = net.unreadable
    assert path.name == "broken.osom" and "broken.osom" in reason and "\n" not in reason
    assert "unreadable-file" in codes(net)


def test_from_documents_matches_loading(tmp_path: Path) -> None:
    docs = [document("A", deps=[dependency("B")]), document("B")]
    net = Network.from_documents([(tmp_path / f"{d.service.name}.osom", d) for d in docs])
    assert list(net.graph.edges) == [("svc-a", "svc-b")]


def test_external_dependency_becomes_an_external_node(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", deps=[dependency("Cloud  Provider")]))
    node = EXTERNAL_PREFIX + "cloud provider"
    assert net.graph.nodes[node]["external"] is True
    assert external_dependencies(net) == [{"node": node, "service": "Cloud Provider", "used_by": ["A"]}]
    assert "external-dependency" in codes(net)


def test_dependency_on_a_known_service_is_not_external(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", deps=[dependency("b")]), document("B"))
    assert external_dependencies(net) == []
    assert list(net.graph.edges) == [("svc-a", "svc-b")]


# -- cycles ----------------------------------------------------------------------------------


def test_cycle_is_found(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", deps=[dependency("B")]), document("B", deps=[dependency("C")]),
                  document("C", deps=[dependency("A")]))
    assert cycles(net) == [["A", "B", "C"]]
    assert cycle_groups(net) == [["A", "B", "C"]]
    assert "dependency-cycle" in codes(net)


def test_no_cycle_in_a_chain(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", deps=[dependency("B")]), document("B", deps=[dependency("C")]), document("C"))
    assert cycles(net) == [] and cycle_groups(net) == []
    assert "dependency-cycle" not in codes(net)


# -- blast radius ------------------------------------------------------------------------------


def core_network(tmp_path: Path) -> Network:
    return network(
        tmp_path,
        document("Core", lifecycle=LIVE),
        document("Mid", lifecycle=ALPHA, deps=[dependency("Core")]),
        document("Leaf", lifecycle=LIVE, deps=[dependency("Mid")]),
        document("Other", deps=[dependency("Core")]),
    )


def test_blast_radius_of_a_core_service_is_everything_above_it(tmp_path: Path) -> None:
    radius = blast_radius(core_network(tmp_path), "svc-core")
    assert [(r["service"], r["lifecycle"], r["distance"]) for r in radius] == [
        ("Mid", "alpha", 1), ("Other", "discovery", 1), ("Leaf", "live", 2)]


def test_blast_radius_of_a_leaf_is_empty(tmp_path: Path) -> None:
    net = core_network(tmp_path)
    assert blast_radius(net, "svc-leaf") == []
    with pytest.raises(KeyError):
        blast_radius(net, "no-such-service")


# -- lifecycles ----------------------------------------------------------------------------------


def test_live_service_on_alpha_and_anything_on_retired(tmp_path: Path) -> None:
    net = network(
        tmp_path,
        document("Live", lifecycle=LIVE, deps=[dependency("Young"), dependency("Old")]),
        document("Young", lifecycle=ALPHA, deps=[dependency("Old")]),
        document("Old", lifecycle=RETIRED),
    )
    found = [(r["kind"], r["service"], r["depends_on"]) for r in immature_dependencies(net)]
    assert found == [("immature", "Live", "Young"), ("retired", "Live", "Old"), ("retired", "Young", "Old")]
    assert {"depends-on-immature", "depends-on-retired"} <= codes(net)


def test_no_lifecycle_warning_for_mature_or_retired_dependants(tmp_path: Path) -> None:
    net = network(
        tmp_path,
        document("Beta", lifecycle=LifecycleStage.BETA, deps=[dependency("Young")]),  # only live services are held to it
        document("Young", lifecycle=ALPHA),
        document("Gone", lifecycle=RETIRED, deps=[dependency("Old")]),
        document("Old", lifecycle=RETIRED),
    )
    assert immature_dependencies(net) == []


# -- duplication --------------------------------------------------------------------------------------


def test_names_are_normalised() -> None:
    assert capability_key("Payments ") == capability_key("payment") == capability_key("PAYMENTS!") == "payment"
    assert capability_key("Process") == "process"
    assert near_identical("payment gateway", "paymnet gateway")
    assert not near_identical("tier 1 support", "tier 2 support")
    assert not near_identical("email", "mail server")


def test_same_capability_on_two_maps_without_a_provider_is_duplication(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", components=[component("Payments")]),
                  document("B", components=[component("payment ")]))
    [dup] = duplication(net)
    assert dup["capability"] in ("Payments", "payment")
    assert dup["entries"] == [["A", "Payments"], ["B", "payment "]]
    assert "duplicated-capability" in codes(net)


def test_a_typo_is_still_the_same_capability(tmp_path: Path) -> None:
    net = network(tmp_path, document("A", components=[component("Payment gateway")]),
                  document("B", components=[component("Paymnet gateway")]))
    assert len(duplication(net)) == 1


def test_capability_provided_by_one_shared_service_is_not_duplication(tmp_path: Path) -> None:
    net = network(
        tmp_path,
        document("A", components=[component("Payments", by="Pay")], deps=[dependency("Pay")]),
        document("B", components=[component("Payments", by="Pay", by_id="svc-pay")], deps=[dependency("Pay")]),
        document("Pay", components=[component("Payments")]),  # the provider's own map
    )
    assert duplication(net) == []


def test_different_capabilities_and_anchors_are_not_duplication(tmp_path: Path) -> None:
    anchor = Component(id="c-user", name="User", kind=ComponentKind.ANCHOR, visibility=1, evolution=0.5)
    net = network(tmp_path, document("A", components=[component("Email"), anchor]),
                  document("B", components=[component("Mail server"),
                                            Component(id="c-user", name="User", kind=ComponentKind.ANCHOR,
                                                      visibility=1, evolution=0.5)]))
    assert duplication(net) == []


# -- custom vs commodity ---------------------------------------------------------------------------------


def test_built_in_house_what_another_map_calls_commodity(tmp_path: Path) -> None:
    built = component("Compute", evolution=0.3)
    net = network(tmp_path, document("A", components=[built]),
                  document("B", components=[component("compute", evolution=0.85)]))
    [r] = custom_vs_commodity(net)
    assert [b["service"] for b in r["built"]] == ["A"] and [c["service"] for c in r["commodity"]] == ["B"]
    assert "custom-vs-commodity" in codes(net)


def test_method_build_counts_as_built_in_house(tmp_path: Path) -> None:
    built = component("Compute", evolution=0.6)
    built.method = Method.BUILD
    net = network(tmp_path, document("A", components=[built]),
                  document("B", components=[component("compute", evolution=0.85)]))
    assert len(custom_vs_commodity(net)) == 1


def test_no_custom_vs_commodity_when_all_agree_or_it_is_bought(tmp_path: Path) -> None:
    bought = component("Compute", evolution=0.6)
    bought.method = Method.BUY
    net = network(tmp_path, document("A", components=[bought, component("Storage", evolution=0.8)]),
                  document("B", components=[component("compute", evolution=0.85), component("Storage", evolution=0.9)]))
    assert custom_vs_commodity(net) == []


# -- guidance and assessments ----------------------------------------------------------------------------------


def test_guidance_rejected_by_two_services(tmp_path: Path) -> None:
    a, b, c = document("A"), document("B"), document("C")
    a.decisions = [rejected("G-1", "too costly"), rejected("G-2", "not relevant")]
    b.decisions = [rejected("G-1", "no staff")]
    net = network(tmp_path, a, b, c)
    [r] = guidance_rejected_by_several(net)
    assert r["guidance_id"] == "G-1" and r["count"] == 2
    assert [(x["service"], x["reason"]) for x in r["rejections"]] == [("A", "too costly"), ("B", "no staff")]
    assert "guidance-rejected-by-several" in codes(net)


def test_guidance_rejected_by_one_service_is_not_reported(tmp_path: Path) -> None:
    a = document("A")
    a.decisions = [rejected("G-1", "too costly")]
    net = network(tmp_path, a, document("B"))
    assert guidance_rejected_by_several(net) == []


def test_overdue_assessments_follow_the_service_rule(tmp_path: Path) -> None:
    net = network(
        tmp_path,
        document("Stale", lifecycle=LIVE, assessments=[transition(LIVE, dt.date(2024, 1, 1))]),
        document("Fresh", lifecycle=LIVE, assessments=[transition(LIVE, dt.date(2026, 6, 1))]),
    )
    assert [r["service"] for r in overdue_assessments(net, TODAY)] == ["Stale"]


def test_service_rows(tmp_path: Path) -> None:
    net = core_network(tmp_path)
    rows = {r["name"]: r for r in service_rows(net, TODAY)}
    assert set(rows) == {"Core", "Mid", "Leaf", "Other"}
    assert (rows["Core"]["dependencies"], rows["Core"]["dependents"]) == (0, 2)
    assert rows["Leaf"]["findings"] >= 2  # on an alpha service; no assessment
    assert rows["Other"]["findings"] == 0


# -- the command ---------------------------------------------------------------------------------------------------


def osom(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "osom_desktop.cli", *map(str, args)],
                          check=False, capture_output=True, text=True, env=env, timeout=120)


def test_osom_network_json_to_stdout(tmp_path: Path) -> None:
    for doc in (document("A", deps=[dependency("B")]), document("B", deps=[dependency("A")])):
        saved(doc, tmp_path)
    run = osom("network", tmp_path, "--format", "json", "-o", "-")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert {s["name"] for s in report["services"]} == {"A", "B"}
    assert {(e["source"], e["target"]) for e in report["edges"]} == {("svc-a", "svc-b"), ("svc-b", "svc-a")}
    assert "dependency-cycle" in {f["code"] for f in report["findings"]}


def test_osom_network_pdf_needs_a_file(tmp_path: Path) -> None:
    """html and pdf are the executive pack (tests/export/test_network_pack.py); a PDF goes to a file."""
    run = osom("network", tmp_path, "--format", "pdf", "-o", "-")
    assert run.returncode == 2
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in run.stderr


def test_osom_network_missing_folder(tmp_path: Path) -> None:
    run = osom("network", tmp_path / "nope", "--format", "json", "-o", "-")
    assert run.returncode == 2 and "no such folder" in run.stderr


def test_copied_file_with_the_same_service_id_is_left_out_and_reported(tmp_path: Path) -> None:
    saved(document("A"), tmp_path, "copy-of-a.osom")
    saved(document("A"), tmp_path, "a.osom")  # saved last: the one used (tests/analysis/test_duplicate_files.py)
    net = load_network(tmp_path)
    assert list(net.graph.nodes) == ["svc-a"]
    [(path, reason)] = net.duplicate_ids
    assert path.name == "copy-of-a.osom" and "using a.osom" in reason
    assert "duplicate-service-id" in codes(net)


def test_short_names_match_only_exactly() -> None:
    assert not near_identical("ux", "ui")
    assert capability_key("APIs") == capability_key("api")


def test_a_service_building_what_a_shared_service_provides_is_duplication(tmp_path: Path) -> None:
    net = network(
        tmp_path,
        document("Pay", components=[component("Payments")]),
        document("Shop", components=[component("Payments", by="Pay")], deps=[dependency("Pay")]),
        document("Own", components=[component("payments")]),  # builds its own
    )
    [dup] = duplication(net)
    assert dup["suppliers"] == ["Own", "Pay"]
    assert [e[0] for e in dup["entries"]] == ["Own", "Pay", "Shop"]
