"""One service in two files of a folder (a copy made by hand, an old version left
behind): the network uses the newest and names both files, whatever the listing order."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.network import Network, load_network, network_findings, network_report
from osom_desktop.export.executive_pack import executive_context, render_executive_html
from osom_desktop.model.service import LifecycleStage
from osom_desktop.storage import open_document, save_document
from tests.analysis.services import TODAY, component, dependency, document, filled, saved, transition
from tests.analysis.test_network import osom

SID = "svc-payments"


def stale_and_newer(folder: Path, stale_name: str, newer_name: str, stale_life: LifecycleStage = LifecycleStage.BETA) -> None:
    """The service saved as ``stale_name``, copied to ``newer_name`` and saved there
    again (live now, and a new dependency), the way a person edits one copy and leaves
    the other. The stale file is then touched (a sync tool, ``cp`` over it), so its
    mtime is the later one: only what the files record says which is newer."""
    doc = document("Payments", sid=SID, lifecycle=stale_life)
    stale = saved(doc, folder, stale_name)
    newer = folder / newer_name
    shutil.copyfile(stale, newer)
    edited = open_document(newer)
    edited.service.lifecycle = LifecycleStage.LIVE
    edited.contract.dependencies.append(dependency("Ledger"))
    save_document(edited, newer, author="tests")
    later = newer.stat().st_mtime_ns + 60 * 10**9
    os.utime(stale, ns=(later, later))
    live = LifecycleStage.LIVE
    saved(filled(document("Shop", lifecycle=live, deps=[dependency("Payments", SID)],
                          components=[component("Payments", by="Payments", by_id=SID)],
                          assessments=[transition(live, dt.date.today(), "a-live")])), folder, "shop.osom")


# Both orders: the stale file's name sorts before the newer one's, then after it.
ORDERS = [("payments (copy).osom", "payments.osom"), ("payments.osom", "payments (copy).osom"),
          ("zz old payments.osom", "payments.osom")]


def assert_uses_newer(net: Network, stale_name: str, newer_name: str) -> None:
    assert net.paths[SID].name == newer_name
    assert net.documents[SID].service.lifecycle is LifecycleStage.LIVE
    assert net.graph.nodes[SID]["path"].endswith(newer_name)
    assert net.graph.has_edge(SID, "external:ledger")  # the newer file's dependency, not the copy's
    assert [p.name for p, _ in net.duplicate_ids] == [stale_name]
    [finding] = [f for f in network_findings(net, TODAY) if f.code == "duplicate-service-id"]
    assert finding.element_id == SID
    assert stale_name in finding.message and newer_name in finding.message
    assert f"using {newer_name}, saved last" in finding.message
    assert "revision 2" in finding.message and "revision 1" in finding.message


@pytest.mark.parametrize(("stale_name", "newer_name"), ORDERS)
@pytest.mark.parametrize("light", [False, True])
def test_the_newest_file_of_a_service_is_used_and_both_are_named(
    tmp_path: Path, stale_name: str, newer_name: str, light: bool
) -> None:
    stale_and_newer(tmp_path, stale_name, newer_name)
    net = load_network(tmp_path, light=light)
    assert_uses_newer(net, stale_name, newer_name)
    [dup] = network_report(net, TODAY)["duplicates"]
    assert dup["used"].endswith(newer_name) and [Path(p).name for p in dup["left_out"]] == [stale_name]
    assert dup["why"] == "saved last"
    assert {Path(f["path"]).name: f["revision"] for f in dup["files"]} == {newer_name: 2, stale_name: 1}


def test_the_choice_does_not_depend_on_the_reading_order(tmp_path: Path) -> None:
    stale_and_newer(tmp_path, "payments (copy).osom", "payments.osom")
    files = sorted(tmp_path.glob("*.osom"))
    docs = [(p, open_document(p)) for p in files]
    for order in (docs, docs[::-1]):
        assert_uses_newer(Network.from_documents(order), "payments (copy).osom", "payments.osom")


def test_identical_copies_use_the_shorter_name_whatever_the_mtimes(tmp_path: Path) -> None:
    original = saved(document("Payments", sid=SID), tmp_path, "payments.osom")
    copy = tmp_path / "payments (copy).osom"
    shutil.copyfile(original, copy)  # a later mtime, the same last save
    net = load_network(tmp_path, light=True)
    assert net.paths[SID] == original
    [(left_out, reason)] = net.duplicate_ids
    assert left_out == copy and "identical copies" in reason and "payments.osom" in reason


def test_osom_network_json_lists_the_duplicates(tmp_path: Path) -> None:
    stale_and_newer(tmp_path, "payments (copy).osom", "payments.osom")
    run = osom("network", tmp_path, "--format", "json", "-o", "-")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    [payments] = [s for s in report["services"] if s["service_id"] == SID]
    assert payments["path"].endswith("/payments.osom") and payments["lifecycle"] == "live"
    [dup] = report["duplicates"]
    assert Path(dup["used"]).name == "payments.osom"
    assert [Path(p).name for p in dup["left_out"]] == ["payments (copy).osom"]
    assert "payments (copy).osom: left out" in run.stderr and "using payments.osom, saved last" in run.stderr


def test_the_executive_pack_names_both_files(tmp_path: Path) -> None:
    stale_and_newer(tmp_path, "payments (copy).osom", "payments.osom")
    net = load_network(tmp_path, light=True)
    context = executive_context(net, tmp_path, TODAY)
    [section] = [s for s in context["sections"] if s["name"] == "Payments"]
    assert section["path"] == "payments.osom" and section["lifecycle"] == "live"
    [found] = [f["message"] for f in section["findings"] if "payments (copy).osom" in f["message"]]
    assert "using payments.osom, saved last" in found
    assert [u["file"] for u in context["unreadable"]] == ["payments (copy).osom"]
    html = render_executive_html(context)
    assert "payments (copy).osom" in html and "using payments.osom, saved last" in html


@pytest.mark.parametrize(("stale_name", "newer_name"), ORDERS)
def test_osom_check_of_a_dependent_reads_the_newest_file(tmp_path: Path, stale_name: str, newer_name: str) -> None:
    """Shop is live and depends on Payments, live in its newest file and still in alpha
    in the stale one: checking Shop must not warn about the stale copy's alpha."""
    stale_and_newer(tmp_path, stale_name, newer_name, stale_life=LifecycleStage.ALPHA)
    for lookup in (ServiceDirectory.scan(tmp_path), ServiceDirectory.around(open_document(tmp_path / "shop.osom"), tmp_path)):
        assert lookup.by_id(SID).path.name == newer_name  # type: ignore[union-attr]
        assert lookup.by_name("payments").path.name == newer_name  # type: ignore[union-attr]
    run = osom("check", tmp_path / "shop.osom")
    assert "alpha" not in run.stdout, run.stdout
    assert run.returncode == 0 and run.stdout.strip().endswith("shop.osom: sound"), run.stdout + run.stderr


def test_files_of_one_name_in_two_subfolders_are_named_by_path(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    stale_and_newer(tmp_path, "old/payments.osom", "payments.osom")
    net = load_network(tmp_path, light=True)
    assert net.paths[SID] == tmp_path / "payments.osom"
    [(left_out, reason)] = net.duplicate_ids
    assert left_out == tmp_path / "old" / "payments.osom"
    assert reason.startswith(f"{left_out}: left out") and f"using {tmp_path / 'payments.osom'}, saved last" in reason
