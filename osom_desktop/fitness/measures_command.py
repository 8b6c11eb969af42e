"""``osom measures``: every recorded value of a folder out (CSV, JSON), or values in from a CSV.

    osom measures FOLDER --format csv|json [-o FILE]
    osom measures import FILE.csv --folder FOLDER [--skip-bad]

The import reads the whole CSV and matches every row before any file is touched: with a
row it cannot read or place, nothing changes and every bad row is listed (row and
column); ``--skip-bad`` records the good rows and lists the rest. Each changed service
file is saved atomically.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osom_desktop.model.errors import OsomError

if TYPE_CHECKING:
    from osom_desktop.analysis.network import Network
    from osom_desktop.fitness.csv_values import ParsedValues
    from osom_desktop.fitness.import_values import ValuesPlan

EXPORT_COLUMNS = ("service", "date", "measure", "value", "unit", "note", "service_id", "file")


class MeasuresUsageError(OsomError):
    """The command line is wrong (exit 2)."""


def value_rows(net: Network) -> Iterator[dict[str, Any]]:
    """One dict per recorded value, by service then measure then date."""
    for sid in net.services():
        doc = net.documents[sid]
        for m in doc.contract.measures:
            for v in m.values:
                yield {"service": doc.service.name, "date": v.date.isoformat(), "measure": m.name,
                       "value": v.value, "unit": m.unit, "note": v.note, "service_id": sid,
                       "file": str(net.paths[sid])}


def _cell(value: object) -> object:
    # A text starting with = + - @ is run as a formula by Excel and LibreOffice when the
    # CSV is opened there; a leading apostrophe keeps it text (OWASP's CSV injection advice).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_text(net: Network, fmt: str) -> str:
    rows = list(value_rows(net))
    if fmt == "json":
        return json.dumps({"values": rows}, indent=2, ensure_ascii=False) + "\n"
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) if k != "value" else repr(v) for k, v in r.items()})
    return buf.getvalue()


def run(args: argparse.Namespace, *, say: Callable[..., None], err: Callable[[str], None],
        write_text: Callable[[str, str, argparse.Namespace], None], author: str) -> int:
    words = list(args.target)
    if words and words[0] == "import" and (len(words) == 2 or args.folder):
        if len(words) != 2:
            raise MeasuresUsageError("usage: osom measures import FILE.csv --folder FOLDER [--skip-bad]")
        return import_command(Path(words[1]), args, say=say, err=err, author=author)
    if len(words) != 1:
        raise MeasuresUsageError("usage: osom measures FOLDER --format csv|json, or osom measures import FILE.csv --folder FOLDER")
    from osom_desktop.analysis.network import load_network  # only when run: osom --help stays quick

    folder = _folder(words[0])
    if not args.format:
        raise MeasuresUsageError("say --format csv or --format json")
    net = load_network(folder)
    text = export_text(net, args.format)
    write_text(args.output, text, args)
    for _, reason in [*net.unreadable, *net.duplicate_ids]:
        err(reason)
    return 0


def _folder(name: str) -> Path:
    folder = Path(name)
    if not folder.is_dir():
        raise MeasuresUsageError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    return folder


def import_command(source: Path, args: argparse.Namespace, *, say: Callable[..., None], err: Callable[[str], None],
                   author: str) -> int:
    from osom_desktop.analysis.network import load_network
    from osom_desktop.fitness.import_values import plan_values, save_plan

    folder, parsed = _import_inputs(source, args)
    net = load_network(folder)
    for _, reason in [*net.unreadable, *net.duplicate_ids]:
        err(reason)
    docs = [net.documents[sid] for sid in net.services()]
    plan = plan_values(parsed, docs)
    if plan.problems and not _report_problems(plan, source, args.skip_bad, err):
        return 1
    report = save_plan(plan, net.documents, net.paths, author=author)
    for path, n in report.saved:
        say(f"{path}: {n:,} value{_s(n)} added")
    for line in report.failed:
        err(line)
    say(_summary(source, [n for _, n in report.saved], plan))
    return 1 if report.failed or plan.problems else 0


def _import_inputs(source: Path, args: argparse.Namespace) -> tuple[Path, ParsedValues]:
    """The folder to import into and the values read; MeasuresUsageError when either
    is missing or unreadable."""
    from osom_desktop.fitness.csv_values import CsvRefused, read_csv

    if not args.folder:
        raise MeasuresUsageError("say which folder of service files the values go into: --folder FOLDER")
    folder = _folder(args.folder)
    try:
        return folder, read_csv(source)
    except CsvRefused as exc:
        raise MeasuresUsageError(str(exc)) from None


def _summary(source: Path, saved: list[int], plan: ValuesPlan) -> str:
    return (f"{source}: {sum(saved):,} values recorded in {len(saved)} file{_s(len(saved))}"
            + (f"; {plan.already_recorded:,} already recorded, skipped" if plan.already_recorded else "")
            + (f"; {len(plan.problems):,} bad rows skipped" if plan.problems else ""))


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _report_problems(plan: ValuesPlan, source: Path, skip_bad: bool, err: Callable[[str], None]) -> bool:
    """Each row problem on stderr; False when they stop the import (no --skip-bad)."""
    from osom_desktop.fitness.csv_values import problem_lines

    for line in problem_lines(plan.problems, str(source)):
        err(line)
    if skip_bad:
        return True
    err(f"{source}: nothing recorded: {len(plan.problems):,} row problem{_s(len(plan.problems))} "
        "(fix them, or pass --skip-bad to record the good rows)")
    return False


def add_parser(sub: argparse._SubParsersAction[Any], parents: list[argparse.ArgumentParser],
               func: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser(
        "measures", parents=parents, help="every recorded measure value of a folder (csv, json), or import values from a CSV",
        description="osom measures FOLDER --format csv|json [-o FILE]: every recorded value with its service. "
                    "osom measures import FILE.csv --folder FOLDER [--skip-bad]: record values (columns service, "
                    "date, measure, value[, note]) into the services' files; a file with any bad row changes nothing.",
    )
    p.add_argument("target", nargs="+", metavar="FOLDER | import FILE.csv")
    p.add_argument("--format", "-f", choices=["csv", "json"], help="export: csv or json")
    p.add_argument("-o", "--output", default="-", help="export: output file, or - for stdout (the default)")
    p.add_argument("--folder", help="import: the folder of service files")
    p.add_argument("--skip-bad", action="store_true", help="import: record the good rows and list the bad ones")
    p.add_argument("--author", help="import: who is saving (default: your user name)")
    p.set_defaults(func=func)
