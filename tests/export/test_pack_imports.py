"""An ``osom pack`` of a service with no fitness data does not load matplotlib.

matplotlib (the fitness charts) is most of a pack process's start-up, and most
services have no measured values yet; packing a folder's files one by one paid it for
each. About modules, not time: a fresh process packs a real file and reports what it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document


def packed_in_a_process(source: Path, out: Path) -> tuple[int, list[str]]:
    code = (
        "import json, sys\n"
        "from osom_desktop.cli import main\n"
        "try:\n"
        f"    code = main(['pack', {str(source)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    exit_code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return exit_code, modules


def test_a_service_without_fitness_data_packs_without_matplotlib(tmp_path: Path) -> None:
    doc = sample_document()
    measures = [m.model_copy(update={"values": []}) for m in doc.contract.measures]
    doc = doc.model_copy(update={"contract": doc.contract.model_copy(update={"measures": measures}), "budgets": []})
    source = tmp_path / "plain.osom"
    save_document(doc, source)
    exit_code, modules = packed_in_a_process(source, tmp_path / "plain.html")
    assert exit_code == 0
    assert "<html" in (tmp_path / "plain.html").read_text(encoding="utf-8").lower()
    assert not [m for m in modules if m.startswith("matplotlib")]


def test_a_service_with_measured_values_still_gets_its_charts(tmp_path: Path) -> None:
    doc = sample_document()
    assert any(m.values for m in doc.contract.measures)  # the sample is measured
    source = tmp_path / "measured.osom"
    save_document(doc, source)
    exit_code, modules = packed_in_a_process(source, tmp_path / "measured.html")
    assert exit_code == 0
    assert "matplotlib" in modules
    assert "<svg" in (tmp_path / "measured.html").read_text(encoding="utf-8")
