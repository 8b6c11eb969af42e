"""The executive pack written in a process of its own, for the network window.

    python -m osom_desktop.export.executive_job FOLDER OUT [--today YYYY-MM-DD] [--replace-read-only]

Prints ``progress DONE TOTAL WHAT`` lines on standard output while it works, and on
failure one line on standard error (naming the file) with exit code 1. Killing it
leaves nothing behind: the pack is written atomically at the very end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="executive_job")
    parser.add_argument("folder")
    parser.add_argument("out")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--replace-read-only", action="store_true")
    args = parser.parse_args(argv)

    def say(done: int, total: int, what: str) -> None:
        print(f"progress {done} {total} {' '.join(what.split())}", flush=True)

    try:
        from osom_desktop.analysis.network import load_network
        from osom_desktop.export.executive_pack import write_executive

        def loading(done: int, total: int) -> bool:
            if done % 25 == 0 or done == total:
                say(done, total, f"Reading file {done} of {total}")
            return True

        net = load_network(args.folder, loading, light=True)  # only what the pack uses (storage/network_read.py)
        out = write_executive(net, args.folder, args.out, args.today, replace_read_only=args.replace_read_only,
                              progress=say)
        say(1, 1, "Written")
        print(f"done {out}", flush=True)
        return 0
    except Exception as exc:  # noqa: BLE001 - one line for the window's dialog, never a traceback
        print(f"osom: {' '.join(str(exc).split()) or type(exc).__name__}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
