"""The headless core (model, storage, owm, analysis) never imports Qt: the CLI and
tests must run on a machine with no display, and CI proves it here at run time."""

from __future__ import annotations

import subprocess
import sys


def test_core_packages_import_no_qt() -> None:
    code = (
        "import sys\n"
        "import osom_desktop.model, osom_desktop.storage, osom_desktop.owm, osom_desktop.analysis\n"
        "import osom_desktop.analysis.service_checks, osom_desktop.cli, osom_desktop.operations\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt imported by the core: {out.stdout}"
