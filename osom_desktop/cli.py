"""``osom``: the headless face of OSOM Desktop.

Every failure a user can cause ends as one line on stderr naming the file, line or
field, and an exit code: 0 done/sound, 1 problems found, 2 unreadable input or misuse.
No traceback reaches the user (set OSOM_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from osom_desktop import __version__
from osom_desktop.model.errors import OsomError

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


class UsageError(OsomError):
    """The command line itself is wrong (exit 2)."""


def _err(message: str) -> None:
    print(f"osom: {message}", file=sys.stderr)


# -- loading ------------------------------------------------------------------------


def _is_osom(path: Path) -> bool:
    """An .osom file is SQLite; decide by content, not by name (files get renamed)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return path.suffix.lower() == ".osom"


def _load_document(path: Path, trust_edits: bool = False):
    """A ServiceDocument from an .osom file, or from OWM text (diagnostics returned)."""
    from osom_desktop.model.service import ServiceDocument

    if _is_osom(path) or path.suffix.lower() == ".osom":
        from osom_desktop.storage import open_document

        return open_document(path, verify=not trust_edits), []
    from osom_desktop.owm import parse_owm
    from osom_desktop.owm.textfile import read_text_file

    result = parse_owm(read_text_file(path), filename=str(path))
    doc = ServiceDocument()
    doc.service.name = result.map.title or path.stem
    doc.map = result.map
    return doc, result.diagnostics


# -- commands -----------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from osom_desktop.model.service import ServiceDocument
    from osom_desktop.owm import parse_owm
    from osom_desktop.owm.textfile import read_text_file
    from osom_desktop.storage import save_document

    src, out = Path(args.map), Path(args.output)
    if out.exists() and not args.force:
        raise UsageError(f"{out}: already exists; pass --force to replace it (its contract and history would be lost)")
    result = parse_owm(read_text_file(src), filename=str(src))
    for d in result.diagnostics:
        print(d, file=sys.stderr)
    doc = ServiceDocument()
    doc.service.name = args.name or result.map.title or src.stem
    if args.manager:
        doc.service.manager = args.manager
    doc.map = result.map
    save_document(doc, out, author=args.author or _user(), summary=f"Imported from {src.name}")
    counts = result.map.counts()
    print(
        f"{out}: imported {counts['components'] + counts['anchors']} components and anchors, "
        f"{counts['links'] + counts['flows']} links from {src}"
        + (f" ({len(result.errors)} lines kept as written; see above)" if result.errors else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    src = Path(args.file)
    doc, _ = _load_document(src, args.trust_edits)
    fmt = args.format
    if fmt == "owm":
        from osom_desktop.owm import write_owm

        _write_text(args.output, write_owm(doc.map))
    elif fmt == "json":
        _write_text(args.output, doc.model_dump_json(indent=2) + "\n")
    elif fmt in ("svg", "png"):
        if args.output == "-":
            raise UsageError(f"--format {fmt} needs a file for -o, not stdout")
        from osom_desktop.export.image import render_png, render_svg

        (render_svg if fmt == "svg" else render_png)(doc.map, Path(args.output))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from osom_desktop.analysis.service_checks import check_document

    from osom_desktop.analysis.directory import ServiceDirectory

    src = Path(args.file)
    doc, diagnostics = _load_document(src, args.trust_edits)
    for d in diagnostics:
        print(d)
    # The other services in the file's folder: what its links and dependencies name.
    directory = ServiceDirectory.scan(src.resolve().parent) if not diagnostics and _is_osom(src) else None
    findings = check_document(doc, directory)
    if diagnostics:  # OWM text: its diagnostics already name each unknown line
        findings = [f for f in findings if f.code != "unknown-line"]
    for f in findings:
        print(f"{src}: {f}")
    problems = len(diagnostics) + len(findings)
    if problems:
        print(f"{src}: {problems} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{src}: sound")
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    """The governance pack: HTML or PDF, chosen by the output's extension."""
    out = Path(args.output)
    form = out.suffix.lower()
    if form not in (".html", ".htm", ".pdf"):
        raise UsageError(f"{out}: a pack is written as .html or .pdf, not {out.suffix or 'a file with no extension'}")
    src = Path(args.file)
    if not _is_osom(src):
        raise UsageError(f"{src}: not a service file (.osom); import an OWM map first with 'osom import'")
    from osom_desktop.analysis.directory import ServiceDirectory
    from osom_desktop.export.pack import build_pack
    from osom_desktop.storage import open_document

    doc = open_document(src, verify=not args.trust_edits)
    directory = ServiceDirectory.scan(src.resolve().parent)
    pack = build_pack(doc, source_path=src, directory=directory)
    if form == ".pdf":
        from osom_desktop.export.pack_pdf import write_pack_pdf

        write_pack_pdf(pack, out)
    else:
        from osom_desktop.export.pack_html import write_pack_html

        write_pack_html(pack, out)
    print(f"{out}: governance pack of {doc.service.name}", file=sys.stderr)
    return EXIT_OK


def cmd_network(args: argparse.Namespace) -> int:
    """The service network of a folder (recursive): services, edges, and the executive's findings.

    json: the report as data; html, pdf: the executive pack (the network, then every service's pack).
    """
    if args.format == "pdf" and args.output == "-":
        raise UsageError("a PDF is written to a file: give -o NETWORK.pdf")
    import json

    from osom_desktop.analysis.network import load_network, network_report

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    net = load_network(folder)
    if args.format in ("html", "pdf"):
        from osom_desktop.export.network_pack import build_network_pack

        pack = build_network_pack(net, folder)
        if args.format == "pdf":
            from osom_desktop.export.pack_pdf import write_pack_pdf

            write_pack_pdf(pack, Path(args.output))
        else:
            from osom_desktop.export.pack_html import render_pack_html

            _write_text(args.output, render_pack_html(pack))
        for _, reason in [*net.unreadable, *net.duplicate_ids]:
            _err(reason)
        front = pack.network
        assert front is not None
        print(f"{args.output}: executive pack of {folder}: {front.services} services, {front.dependencies} dependencies, "
              f"{len(front.findings)} findings", file=sys.stderr)
        return EXIT_OK
    report = network_report(net)
    _write_text(args.output, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for _, reason in [*net.unreadable, *net.duplicate_ids]:
        _err(reason)
    print(
        f"{folder}: {len(report['services'])} services, {len(report['edges'])} dependencies, "
        f"{len(report['findings'])} findings",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    src = Path(args.file)
    doc, diagnostics = _load_document(src, args.trust_edits)
    s, c, m = doc.service, doc.contract, doc.map
    counts = m.counts()
    rejected = sum(1 for d in doc.decisions if d.status == "rejected")
    lines = [
        f"{s.name}" + (f" — managed by {s.manager}" if s.manager else ""),
        f"  lifecycle: {s.lifecycle}" + (f"; evolution: {c.evolution_stage}" if c.evolution_stage else ""),
        f"  map: {m.title or '(untitled)'}; {counts['components']} components, {counts['anchors']} anchors, "
        f"{counts['links']} links, {counts['flows']} flows, {counts['notes']} notes, {counts['pipelines']} pipelines",
        f"  contract: {len(c.user_needs)} user needs, {len(c.measures)} measures, {len(c.dependencies)} dependencies",
        f"  guidance: {len(doc.decisions)} decisions ({rejected} rejected); assessments: {len(doc.assessments)}",
    ]
    if doc.revisions:
        last = doc.revisions[-1]
        by = f" by {last.author}" if last.author else ""
        lines.append(f"  saved {len(doc.revisions)} times; last {last.saved_at:%Y-%m-%d %H:%M} UTC{by}")
    unplaced = sum(1 for d in diagnostics if d.severity == "error")
    if unplaced:
        lines.append(f"  {unplaced} OWM lines could not be placed (osom check lists them)")
    print("\n".join(lines))
    return EXIT_OK


# -- plumbing -----------------------------------------------------------------------


def _user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no user name in some containers; the author is optional
        return ""


def _write_text(output: str, text: str) -> None:
    if output == "-":
        sys.stdout.write(text)
        return
    from osom_desktop.storage.atomic import atomic_write_bytes

    atomic_write_bytes(Path(output), text.encode("utf-8"))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other misuse
        self.exit(EXIT_UNREADABLE, f"osom: {message} (see 'osom --help')\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="osom", description="OSOM Desktop on the command line: service files, OWM maps, packs.")
    p.add_argument("--version", action="version", version=f"osom {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    trust = _Parser(add_help=False)
    trust.add_argument(
        "--trust-edits", action="store_true",
        help="open a .osom file changed by another program since its last save (e.g. the sqlite3 shell)",
    )

    imp = sub.add_parser("import", help="make a service file from an OWM map")
    imp.add_argument("map", help="OWM text file")
    imp.add_argument("-o", "--output", required=True, help="the .osom file to write")
    imp.add_argument("--name", help="service name (default: the map's title)")
    imp.add_argument("--manager", help="service manager")
    imp.add_argument("--author", help="who is saving (default: your user name)")
    imp.add_argument("--force", action="store_true", help="replace an existing output file")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", parents=[trust], help="write a service's map or document in another format")
    exp.add_argument("file", help=".osom file (or OWM text)")
    exp.add_argument("--format", "-f", required=True, choices=["owm", "json", "svg", "png"])
    exp.add_argument("-o", "--output", required=True, help="output file, or - for stdout")
    exp.set_defaults(func=cmd_export)

    chk = sub.add_parser("check", parents=[trust], help="exit 0 when sound, 1 when problems were found, 2 when unreadable")
    chk.add_argument("file", help=".osom file or OWM text")
    chk.set_defaults(func=cmd_check)

    pk = sub.add_parser("pack", parents=[trust], help="the governance pack for the executive (.html or .pdf)")
    pk.add_argument("file", help=".osom file")
    pk.add_argument("-o", "--output", required=True, help="PACK.html or PACK.pdf (the extension picks the form)")
    pk.set_defaults(func=cmd_pack)

    net = sub.add_parser(
        "network", help="the service network of a folder and its findings, or its executive pack (html, pdf)",
        description="The service network of a folder: json is the report as data; html and pdf are the "
                    "executive pack (cover, network drawing, services table, findings, unreadable files, "
                    "then each service's governance pack).",
    )
    net.add_argument("folder", help="folder holding .osom files (searched recursively)")
    net.add_argument("--format", "-f", required=True, choices=["json", "html", "pdf"],
                     help="json: the report as data; html, pdf: the executive pack")
    net.add_argument("-o", "--output", required=True, help="output file, or - for stdout (json, html)")
    net.set_defaults(func=cmd_network)

    inf = sub.add_parser("info", parents=[trust], help="a short summary of a service file")
    inf.add_argument("file", help=".osom file or OWM text")
    inf.set_defaults(func=cmd_info)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OsomError as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    except OSError as exc:
        where = exc.filename or ""
        _err(f"{where}: {exc.strerror or exc}" if where else str(exc))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        if os.environ.get("OSOM_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set OSOM_DEBUG=1 for details)")
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
