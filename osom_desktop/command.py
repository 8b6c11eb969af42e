"""The ``osom`` script's entry point.

``osom check`` in a shell loop is answered by the warm check server (check_server.py):
such a process must load as little as it can, so it gets here nothing but the standard
library's smallest modules. Everything else, and a check no server answered, goes to
``cli.run`` (argparse, pathlib and the rest are imported only then).
"""

import sys


def main() -> int:
    from osom_desktop.check_server import served_or_run

    return served_or_run(sys.argv[1:], _run_here)


def _run_here(argv: list[str]) -> int:
    from osom_desktop.cli import run

    return run(argv)


if __name__ == "__main__":  # python -m osom_desktop.command: as the installed script
    sys.exit(main())
