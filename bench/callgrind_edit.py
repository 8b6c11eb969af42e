"""Instructions one edit costs at 5,000 components, steady whatever the load (asserts nothing).

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python bench/callgrind_edit.py [--size 5000] [--edits 8]
    callgrind_annotate /tmp/cg.out | head -40

Opens a generated map in the real MainWindow (offscreen), lets it settle, makes one
warm-up edit, then turns callgrind's counting on around ``--edits`` renames (or added
components, ``--op add``) and their undos, each followed by the event-loop turn that paints it. Every window and scene
timer of 100 ms or more is stretched first: under valgrind an edit takes about a
second, so the jobs the window runs after a pause in the editing (the findings
recheck, the text pane's re-parse, the labels' settling) would otherwise fire inside
every counted edit, which a person's edit never outlasts. Prints the count of edits
made; callgrind prints the instructions (divide by twice the edits).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OSOM_RECOVERY_DIR", tempfile.mkdtemp(prefix="osom-bench-recovery-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _counting(on: bool) -> None:
    subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
                   check=False, stdout=subprocess.DEVNULL)


def main() -> None:
    from bench_editor import make_file, open_and_paint
    from PySide6.QtCore import QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from osom_desktop.commands import AddElementCommand, UpdateElementCommand, run
    from osom_desktop.model import Component

    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--op", choices=("rename", "add"), default="rename")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    path = make_file(args.size, Path(tempfile.mkdtemp(prefix="osom-bench-cg-")))
    _, window = open_and_paint(app, path)
    for _ in range(200):
        app.processEvents()
    stretched = 0
    owners: list[QObject] = [window, window.scene]
    for owner in owners:
        for timer in owner.findChildren(QTimer):
            if timer.interval() >= 100:
                timer.setInterval(timer.interval() * 1000)
                stretched += 1
    doc, stack = window.document, window.stack
    comps = doc.map.components

    def edit(i: int) -> None:
        c = comps[(i * 97) % len(comps)]
        if args.op == "add":
            run(stack, AddElementCommand(doc, Component(id=f"cg-new-{i}", name=f"New {i}", visibility=0.5, evolution=0.5)))
        else:
            run(stack, UpdateElementCommand(doc, c.id, name=f"{c.name} renamed {i}"))
        app.processEvents()
        stack.undo()
        app.processEvents()

    edit(0)  # warm-up: first-use caches are not part of a person's every edit
    _counting(True)
    for i in range(1, args.edits + 1):
        edit(i)
    _counting(False)
    print(f"{args.edits} {args.op}s and {args.edits} undos counted; {stretched} timers stretched")
    stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
