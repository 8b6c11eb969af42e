"""The map is drawn before anything heavy is loaded (issue 14).

The sample's Contract dock holds a measure chart; drawn at start, behind the Map text
tab, it loaded matplotlib (1-2 s) before the map's first paint. Now the chart is drawn
when it is first on screen, and WeasyPrint, matplotlib and the export code load when
used. The real ``main`` in a process of its own, as a person starts the app.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Loaded by nothing the first frame needs.
HEAVY = ("matplotlib", "weasyprint", "osom_desktop.fitness.charts", "osom_desktop.export.pack_pdf",
         "osom_desktop.export.pack_html", "osom_desktop.export.executive_pack")

_WATCH = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from osom_desktop import app

HEAVY = %r
seen = {}

def report():
    print(json.dumps(seen), flush=True)
    os._exit(0)

def after_paint():
    from osom_desktop.views.main_window import MainWindow
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    seen["measure selected"] = window.contract.selected_measure() is not None
    window.contract_dock.show()
    window.contract_dock.raise_()  # the person looks at the Contract tab and scrolls to the chart
    from PySide6.QtWidgets import QScrollArea
    window.contract.findChild(QScrollArea).ensureWidgetVisible(window.contract.fitness.chart)
    def chart_drawn():
        if not window.contract.fitness.chart.pixmap().isNull():
            seen["chart drawn when shown"] = True
            report()
        else:
            QTimer.singleShot(50, chart_drawn)
    QTimer.singleShot(0, chart_drawn)
    QTimer.singleShot(60000, report)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and "at first paint" not in seen
                and type(obj.parent()).__name__ == "MapView"):
            seen["at first paint"] = sorted(m for m in sys.modules if m.startswith(HEAVY))
            QTimer.singleShot(0, after_paint)
        return False

qapp = QApplication(sys.argv[:1])
spy = FirstPaint()
qapp.installEventFilter(spy)
app.main(["--sample"])
"""


def test_sample_paints_before_matplotlib_weasyprint_or_export_load(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OSOM_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", _WATCH % (HEAVY,)], env=env, capture_output=True, text=True,
                          timeout=180)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, done.stderr
    seen = json.loads(lines[-1])
    assert seen["at first paint"] == [], seen
    # Deferred, not dropped: the sample's measure chart is drawn once its tab is in front.
    assert seen.get("measure selected") is False or seen.get("chart drawn when shown") is True, seen
