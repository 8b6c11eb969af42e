"""ServiceDirectory over real .osom files: summaries, unreadable files, look-ups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osom_desktop.analysis.directory import ServiceDirectory, normalise_name
from osom_desktop.model.service import Dependency, EvolutionStage, LifecycleStage
from osom_desktop.model.wardley import ServiceRef
from tests.analysis.services import component, dependency, document, saved, transition


def test_scan_summarises_each_service_file(tmp_path: Path) -> None:
    doc = document(
        "Notifications", sid="svc-n", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT, manager="Amara",
        deps=[dependency("Identity", "svc-id")],
        components=[component("Sign in", by="Identity", by_id="svc-id"), component("Templates")],
        assessments=[transition(LifecycleStage.BETA, dt.date(2025, 5, 1)), transition(LifecycleStage.LIVE, dt.date(2026, 2, 10))],
    )
    path = saved(doc, tmp_path)
    saved(document("Identity", sid="svc-id"), tmp_path)

    directory = ServiceDirectory.scan(tmp_path)

    assert directory.unreadable == []
    assert [s.name for s in directory.services] == ["Identity", "Notifications"]
    s = directory.by_id("svc-n")
    assert s is not None
    assert (s.name, s.manager, s.lifecycle, s.evolution_stage, s.path) == (
        "Notifications", "Amara", LifecycleStage.LIVE, EvolutionStage.PRODUCT, path,
    )
    assert s.dependencies == (doc.contract.dependencies[0],)
    assert s.last_assessment == dt.date(2026, 2, 10)
    assert s.map_providers == (ServiceRef("Identity", "svc-id"),)


def test_scan_is_not_recursive_unless_asked_and_skips_other_files(tmp_path: Path) -> None:
    saved(document("Top"), tmp_path)
    saved(document("Nested"), tmp_path / "sub")
    saved(document("Hidden"), tmp_path, ".hidden.osom")
    saved(document("Upper"), tmp_path, "UPPER.OSOM")
    (tmp_path / "notes.txt").write_text("not a service")
    (tmp_path / "folder.osom").mkdir()  # a folder named like a file is not a service

    assert {s.name for s in ServiceDirectory.scan(tmp_path).services} == {"Top", "Upper"}
    deep = ServiceDirectory.scan(tmp_path, recursive=True)
    assert {s.name for s in deep.services} == {"Top", "Upper", "Nested"}
    assert deep.unreadable == []


def test_unreadable_files_are_listed_not_raised(tmp_path: Path) -> None:
    saved(document("Good"), tmp_path)
    bad = tmp_path / "bad.osom"
    bad.write_text("just some notes\n")
    before = bad.read_bytes()

    directory = ServiceDirectory.scan(tmp_path)

    assert [s.name for s in directory.services] == ["Good"]
    assert len(directory.unreadable) == 1
    path, reason = directory.unreadable[0]
    assert path == bad
    assert reason.startswith("bad.osom: not an OSOM service file") and "\n" not in reason
    assert bad.read_bytes() == before


def test_extra_paths_are_added_once_and_missing_ones_reported(tmp_path: Path) -> None:
    inside = saved(document("Inside"), tmp_path / "shared")
    elsewhere = saved(document("Elsewhere"), tmp_path / "home")
    missing = tmp_path / "gone.osom"

    directory = ServiceDirectory.scan(tmp_path / "shared", extra_paths=[elsewhere, inside, missing])

    assert sorted(s.name for s in directory.services) == ["Elsewhere", "Inside"]
    assert directory.unreadable == [(missing, "gone.osom: no such file")]


def test_missing_folder_is_reported_not_raised(tmp_path: Path) -> None:
    directory = ServiceDirectory.scan(tmp_path / "nowhere")
    assert directory.services == []
    assert [p for p, _ in directory.unreadable] == [tmp_path / "nowhere"]
    assert directory.unreadable[0][1].endswith("no such folder")


def test_lookups_by_id_name_and_reference(tmp_path: Path) -> None:
    saved(document("Hosting  Platform", sid="svc-host"), tmp_path)
    saved(document("Identity", sid="svc-id"), tmp_path)
    directory = ServiceDirectory.scan(tmp_path)

    assert directory.by_id("svc-id").name == "Identity"
    assert directory.by_id("nope") is None
    assert directory.by_name(" hosting platform ").service_id == "svc-host"
    assert directory.by_name("Hosting") is None
    # id first: the name says Identity but the id names the hosting platform
    assert directory.find(ServiceRef("Identity", "svc-host")).service_id == "svc-host"
    # a stale id falls back to the name
    assert directory.find(ServiceRef("IDENTITY", "svc-deleted")).service_id == "svc-id"
    assert directory.find(Dependency(service_name="hosting platform")).service_id == "svc-host"
    assert directory.find(ServiceRef("Payments")) is None


def test_copied_file_shows_as_duplicate_id(tmp_path: Path) -> None:
    doc = document("Payments", sid="svc-pay")
    saved(doc, tmp_path, "payments.osom")
    saved(doc, tmp_path, "payments-copy.osom")
    dupes = ServiceDirectory.scan(tmp_path).duplicate_ids()
    assert list(dupes) == ["svc-pay"] and len(dupes["svc-pay"]) == 2


def test_normalise_name() -> None:
    assert normalise_name("  Hosting\tPLATFORM ") == normalise_name("hosting platform")
