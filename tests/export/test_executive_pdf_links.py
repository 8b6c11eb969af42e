"""The executive pack PDF's links are where their text is: each clickable area is the
line of the link it follows, so a click lands on the section the reader pointed at.
The pack is laid out in parts and joined (export/executive_pack_pdf.py), which writes
every link annotation itself from WeasyPrint's rectangles; ``osom network`` runs as a
subprocess on a real folder, the PDF is read with pypdf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from osom_desktop.model.service import LifecycleStage


def _estate(folder: Path, n: int) -> Path:
    """``n`` services, each depending on two of the next layer (as test_network_pack)."""
    from tests.analysis.services import dependency, document, saved

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        deps = [dependency(f"Service {j:03d}") for j in (i * 2 + 1, i * 2 + 2) if j < n]
        life = LifecycleStage.ALPHA if i % 7 == 6 else LifecycleStage.LIVE
        saved(document(f"Service {i:03d}", lifecycle=life, deps=deps, manager=f"Lead {i % 9}"), folder)
    return folder


def _overlap(a: list[float], b: list[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def test_each_link_covers_its_own_line_only(tmp_path: Path) -> None:
    from pypdf import PdfReader

    # 45 services: two parts of services, laid out apart and joined.
    folder = _estate(tmp_path / "estate", 45)
    out = tmp_path / "pack.pdf"
    run = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "network", str(folder), "--format", "pdf",
                          "-o", str(out)], capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    reader = PdfReader(str(out))
    checked = 0
    for number, page in enumerate(reader.pages):
        box = [float(v) for v in page.mediabox]
        annots = [a.get_object() for a in page.get("/Annots", []) or []]
        rects = [[float(v) for v in a["/Rect"]] for a in annots]
        goes = [(reader.get_page_number(a["/Dest"][0].get_object()), *(round(float(v)) for v in a["/Dest"][2:4]))
                for a in annots]
        for r in rects:
            assert box[0] <= r[0] <= r[2] <= box[2] + 0.5 and box[1] - 0.5 <= r[1] <= r[3] <= box[3], (number, r)
            assert r[3] - r[1] < 20, (number, r)  # one line of 9.5 pt text, or one box of the drawing
        for i, a in enumerate(rects):  # no click can hit two links that go to different places
            for j in range(i + 1, len(rects)):
                assert _overlap(a, rects[j]) < 1 or goes[i] == goes[j], (number, a, rects[j])
        checked += len(rects)
    assert checked > 45  # the contents, the drawing's boxes and each section's dependencies
