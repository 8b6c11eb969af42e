"""Child process for the kill test: saves two alternating maps to one file, forever.

Run as ``python -m tests.storage.kill_child PATH N``; prints ``ready`` once it is
about to start saving, so the parent kills it mid-save rather than mid-import.
"""

from __future__ import annotations

import sys
from pathlib import Path

from osom_desktop.storage import open_document, save_document
from tests.storage.generate import large_map


def main() -> None:
    path = Path(sys.argv[1])
    n = int(sys.argv[2])
    doc = open_document(path)
    maps = [large_map(n, seed=1), large_map(n, seed=2)]
    print("ready", flush=True)
    i = len(doc.revisions)
    while True:
        doc.map = maps[i % 2]
        save_document(doc, path, author="child", summary=f"save {i}")
        i += 1


if __name__ == "__main__":
    main()
