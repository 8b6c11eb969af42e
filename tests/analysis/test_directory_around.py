"""``ServiceDirectory.around``: only the services a document names, for ``osom check`` and ``pack``.

It must answer every look-up the checks and the pack make exactly as the full folder
scan does, while summarising only the files named (the others' ids and names are read,
about a third of the cost, and remembered).
"""

from __future__ import annotations

from pathlib import Path

from osom_desktop.analysis.directory import ServiceDirectory
from osom_desktop.analysis.service_checks import check_document
from osom_desktop.export.pack import build_pack
from osom_desktop.model.service import EvolutionStage, LifecycleStage
from osom_desktop.storage import open_document
from osom_desktop.storage.summary import SummaryCache
from tests.analysis.services import TODAY, component, dependency, document, saved


def folder_of_services(folder: Path) -> dict[str, Path]:
    docs = [
        document("Apply Online", sid="svc-apply", lifecycle=LifecycleStage.LIVE, stage=EvolutionStage.PRODUCT,
                 deps=[dependency("Payments", "svc-pay"), dependency("identity"), dependency("Card Gateway")],
                 components=[component("Card payments", 0.1, by="Payments", by_id="svc-pay"),
                             component("Login", 0.5, by="Identity")]),
        document("Payments", sid="svc-pay", lifecycle=LifecycleStage.ALPHA, stage=EvolutionStage.COMMODITY,
                 deps=[dependency("Ledger", "svc-ledger-gone")],
                 components=[component("Ledger", 0.8, by="Ledger", by_id="svc-ledger-gone")]),
        document("Identity", sid="svc-id", lifecycle=LifecycleStage.RETIRED, stage=EvolutionStage.CUSTOM),
        # Same name as Identity in another file: by_name must pick the same one either way.
        document("IDENTITY", sid="svc-id-copy", lifecycle=LifecycleStage.BETA),
        document("Ledger", sid="svc-ledger", lifecycle=LifecycleStage.DISCOVERY, stage=EvolutionStage.GENESIS),
    ]
    paths = {d.service.name: saved(d, folder) for d in docs[:3]}
    paths["IDENTITY"] = saved(docs[3], folder, "identity-copy.osom")
    paths["Ledger"] = saved(docs[4], folder)
    for i in range(20):  # bystanders nobody names
        saved(document(f"Bystander {i}", sid=f"svc-by-{i}"), folder)
    return paths


def test_around_finds_what_the_full_scan_finds(tmp_path: Path) -> None:
    paths = folder_of_services(tmp_path)
    full = ServiceDirectory.scan(tmp_path)
    for path in paths.values():
        doc = open_document(path)
        near = ServiceDirectory.around(doc, tmp_path)
        assert check_document(doc, near, today=TODAY) == check_document(doc, full, today=TODAY)
        assert build_pack(doc, source_path=path, directory=near, today=TODAY).services[0].neighbours == \
            build_pack(doc, source_path=path, directory=full, today=TODAY).services[0].neighbours
    # Apply Online's look-ups really reached its neighbours (not an empty directory twice).
    apply_doc = open_document(paths["Apply Online"])
    messages = [f.message for f in check_document(apply_doc, ServiceDirectory.around(apply_doc, tmp_path), today=TODAY)]
    assert any("which is retired" in m or "still in alpha" in m for m in messages), messages


def test_around_summarises_only_the_named_files(tmp_path: Path) -> None:
    paths = folder_of_services(tmp_path)
    doc = open_document(paths["Apply Online"])
    near = ServiceDirectory.around(doc, tmp_path)
    assert sorted(s.service_id for s in near.services) == ["svc-id", "svc-id-copy", "svc-pay"]
    entries = SummaryCache(tmp_path).entries
    full = sorted(name for name, (_, value) in entries.items() if isinstance(value, dict) and "partial" not in value)
    assert full == ["identity-copy.osom", "identity.osom", "payments.osom"]
    assert len(entries) == 25  # every file's id and name is remembered for the next run
    # A later full scan (the app's) completes the cache, and agrees.
    assert len(ServiceDirectory.scan(tmp_path).services) == 25
    assert all("partial" not in v for _, v in SummaryCache(tmp_path).entries.values() if isinstance(v, dict))
