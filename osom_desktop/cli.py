"""``osom``: the headless face of OSOM Desktop.

Every failure a user can cause ends as one line on stderr naming the file, line or
field, and an exit code: 0 done/sound, 1 problems found, 2 unreadable input or misuse.
No traceback reaches the user (set OSOM_DEBUG=1 to see one).

Everything printed goes through ``_say``/``_err``, which escape control sequences
(``model.text_safety.for_terminal``): names and notes come from files anyone may have
written, and a service named ``"\x1b[2J"`` must not clear the reader's screen. Every
file written is written atomically and checked (``storage.atomic``); a read-only
target is refused unless ``--replace-read-only``; what a replace cannot keep (owner,
group, hard links) is said in a warning line. A FIFO or a device as ``-o``
(``/dev/stdout``, ``>(gzip > f)``) is written straight through, never replaced; a
folder, socket or block device is refused before the work, and so is a target
spelled as a folder (``-o out/``), which would otherwise have written a file ``out``.

A reader that goes away (``osom info f.osom | head -2``, or a FIFO's reader) ends
the command quietly with exit 141, as a tool killed by SIGPIPE does: no message.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from osom_desktop import __version__
from osom_desktop.model.errors import OsomError  # light: the model package loads its classes when used

if TYPE_CHECKING:  # types only: importing them at run time would slow `osom --version` (issue 14)
    from osom_desktop.analysis.directory import ServiceDirectory
    from osom_desktop.analysis.network import Network
    from osom_desktop.folder import FolderNeighbours
    from osom_desktop.model.service import ServiceDocument
    from osom_desktop.owm.result import ParseResult

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2
# What a shell reports for a tool SIGPIPE killed (128 + 13). Python ignores SIGPIPE, so
# a closed pipe is an EPIPE error instead; we end as `cat` and `grep` do, without a word.
EXIT_BROKEN_PIPE = 141


class UsageError(OsomError):
    """The command line itself is wrong (exit 2)."""


def for_terminal(text: str, keep_lines: bool = False) -> str:
    """``model.text_safety.for_terminal``, imported when first printed: it brings pydantic,
    which ``osom --version`` and ``osom --help`` have no use for (issue 14)."""
    from osom_desktop.model.text_safety import for_terminal as escaped

    return escaped(text, keep_lines=keep_lines)


def _err(message: str) -> None:
    print(for_terminal(f"osom: {message}"), file=sys.stderr)


def _say(text: str, file=None) -> None:  # noqa: ANN001 - a text stream
    """Print lines we composed (newlines kept) with any control sequence escaped."""
    print(for_terminal(text, keep_lines=True), file=sys.stdout if file is None else file)


def _t(text: str) -> str:
    """A user's text inside one line: newlines escaped too, so it cannot split it."""
    return for_terminal(text)


def _prepare_output(output: str, args: argparse.Namespace) -> None:
    """Before the work, not after it: refuse a read-only target, warn what a replace
    of the target cannot keep (owner, group, hard links); refuse a folder, socket or
    block device."""
    if output == "-":
        return
    from osom_desktop.storage.atomic import check_writable, replace_notes

    _refuse_non_file(output)

    if not getattr(args, "replace_read_only", False):
        try:
            check_writable(output)
        except OsomError as exc:
            raise UsageError(f"{exc}; pass --replace-read-only to replace it anyway") from None
    for note in replace_notes(output):
        _err(f"warning: {note}")


def _refuse_non_file(output: str) -> None:
    """A folder, socket or block device as the output: one line naming it as typed."""
    from osom_desktop.storage.atomic import NotAFileError, check_target

    try:
        check_target(output)
    except NotAFileError as exc:
        raise UsageError(f"{output}: {exc.problem}") from None


# -- loading ------------------------------------------------------------------------


def _is_osom(path: Path) -> bool:
    """An .osom file is SQLite; decide by content, not by name (files get renamed).

    Never blocks (a FIFO named x.osom): what is not a regular file goes to the reader,
    which says in one line what it is.
    """
    from osom_desktop.storage.limits import read_head

    head = read_head(path, 16)
    if head is None:
        return path.suffix.lower() == ".osom" or path.exists()
    return head == b"SQLite format 3\x00"


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
    from osom_desktop.owm import parse_owm
    from osom_desktop.owm.textfile import read_text_file
    from osom_desktop.storage import save_document

    src, out = Path(args.map), Path(args.output)
    _refuse_non_file(args.output)  # before "already exists": --force would not help
    if out.exists() and not args.force and not _is_stream(out):
        raise UsageError(f"{out}: already exists; pass --force to replace it (its contract and history would be lost)")
    _prepare_output(args.output, args)
    author = args.author or _user()
    done = _formats().import_other(_console(), args, author)  # JSON, Mermaid
    if done is not None:
        return done
    result = parse_owm(read_text_file(src), filename=str(src))
    for d in result.diagnostics:
        _say(str(d), file=sys.stderr)
    save_document(_imported_document(result, src, args), out, author=author, summary=f"Imported from {src.name}",
                  replace_read_only=args.replace_read_only)
    _say(_imported_line(result, src, out), file=sys.stderr)
    return EXIT_OK


def _imported_document(result: ParseResult, src: Path, args: argparse.Namespace) -> ServiceDocument:
    """A new service holding the parsed map; named by --name, else the map's title, else the file."""
    from osom_desktop.model.service import ServiceDocument

    doc = ServiceDocument()
    doc.service.name = args.name or result.map.title or src.stem
    if args.manager:
        doc.service.manager = args.manager
    doc.map = result.map
    return doc


def _imported_line(result: ParseResult, src: Path, out: Path) -> str:
    counts = result.map.counts()
    return (
        f"{out}: imported {counts['components'] + counts['anchors']} components and anchors, "
        f"{counts['links'] + counts['flows']} links from {src}"
        + (f" ({len(result.errors)} lines kept as written; see above)" if result.errors else "")
    )


def cmd_export(args: argparse.Namespace) -> int:
    src = Path(args.file)
    fmt = args.format
    if fmt in ("svg", "png") and args.output == "-":
        raise UsageError(f"--format {fmt} needs a file for -o, not stdout")
    _prepare_output(args.output, args)
    doc, _ = _load_document(src, args.trust_edits)
    if fmt == "owm":
        from osom_desktop.owm import write_owm

        _write_text(args.output, write_owm(doc.map), args)
    elif fmt == "json":
        _formats().export_json(_console(), doc, args)
    elif fmt == "mermaid":
        _formats().export_mermaid(_console(), doc, src, args)
    elif fmt in ("svg", "png"):
        from osom_desktop.export.image import render_png, render_svg

        (render_svg if fmt == "svg" else render_png)(doc.map, Path(args.output), replace_read_only=args.replace_read_only)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Each file named, in order: its findings and one closing line; a file that cannot
    be read is named with its reason and the others are still checked. Exit code: the
    worst of the files' (0 sound, 1 problems, 2 unreadable)."""
    # One per folder: its listing, ids and names, summaries and cache are shared by all
    # the files checked in it, and its cache is written once at the end.
    folders: dict[Path, FolderNeighbours] = {}
    worst = EXIT_OK
    # While the first file loads the modules (here, not above) and pydantic builds the
    # model classes, Python's cycle collector runs ~55 times and finds nothing to free
    # (~10 ms of CPU, timed in-process), paid by each process of a shell loop (issue 11).
    # Off until the first file is done; reference counting still frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in args.files:
            src = Path(name)
            try:
                code = _check_file(src, args, folders)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # noqa: BLE001 - this file's failure, never the others'
                if _broken_pipe(exc):  # our reader is gone: no later file can be reported either
                    raise
                code = _report_failure(exc, src)
            finally:
                if collecting:
                    gc.enable()
            worst = max(worst, code)
    finally:
        if collecting:
            gc.enable()
        for neighbours in folders.values():
            neighbours.save()
    return worst


def _check_file(src: Path, args: argparse.Namespace, folders: dict) -> int:
    from osom_desktop.analysis.service_checks import check_document

    doc, diagnostics = _load_document(src, args.trust_edits)
    for d in diagnostics:
        _say(str(d))
    findings = check_document(doc, _folder_around(src, doc, diagnostics, folders))
    if diagnostics:  # OWM text: its diagnostics already name each unknown line
        findings = [f for f in findings if f.code != "unknown-line"]
    if not _is_osom(src):  # OWM text holds a map only: it has no contract to fill in
        findings = [f for f in findings if f.code != "contract-incomplete"]
    for f in findings:
        _say(f"{src}: {_t(str(f))}")
    return _check_verdict(src, diagnostics, findings)


def _folder_around(src: Path, doc: ServiceDocument, diagnostics: list, folders: dict) -> ServiceDirectory | None:
    """The other services in the file's folder: what its links and dependencies name.
    Only the services it names are summarised (FolderNeighbours.around, as
    ServiceDirectory.around): not the whole folder. None for OWM text."""
    from osom_desktop.folder import FolderNeighbours

    if diagnostics or not _is_osom(src):
        return None
    folder = src.resolve().parent
    if folder not in folders:
        folders[folder] = FolderNeighbours(folder)
    return folders[folder].around(doc)


def _check_verdict(src: Path, diagnostics: list, findings: list) -> int:
    """The closing line of one file and its exit code.

    Warnings (a link to a commented-out component, a name declared twice) are shown,
    but the map is drawn as OWM draws it: only errors (lines not placed) are problems.
    """
    problems = sum(1 for d in diagnostics if d.severity == "error") + len(findings)
    if problems:
        _say(f"{src}: {problems} problem(s) found", file=sys.stderr)
        return EXIT_PROBLEMS
    _say(f"{src}: sound")
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    """The governance pack: HTML or PDF, chosen by the output's extension."""
    _refuse_non_file(args.output)  # "out/" names a folder: say so, not "no extension"
    out = Path(args.output)
    form = out.suffix.lower()
    if form not in (".html", ".htm", ".pdf"):
        raise UsageError(f"{out}: a pack is written as .html or .pdf, not {out.suffix or 'a file with no extension'}")
    src = Path(args.file)
    if not _is_osom(src):
        raise UsageError(f"{src}: not a service file (.osom); import an OWM map first with 'osom import'")
    _prepare_output(args.output, args)
    from osom_desktop.analysis.directory import ServiceDirectory
    from osom_desktop.export.pack import build_pack
    from osom_desktop.storage import open_document

    doc = open_document(src, verify=not args.trust_edits)
    directory = ServiceDirectory.around(doc, src.resolve().parent)  # the services it names, not the whole folder
    pack = build_pack(doc, source_path=src, directory=directory)
    if form == ".pdf":
        from osom_desktop.export.pack_pdf import write_pack_pdf

        write_pack_pdf(pack, out, replace_read_only=args.replace_read_only)
    else:
        from osom_desktop.export.pack_html import write_pack_html

        write_pack_html(pack, out, replace_read_only=args.replace_read_only)
    _say(f"{out}: governance pack of {_t(doc.service.name)}", file=sys.stderr)
    return EXIT_OK


def cmd_network(args: argparse.Namespace) -> int:
    """The service network of a folder (recursive): services, edges, and the executive's findings.

    json: the report as data; html, pdf: the executive pack (the network, then every service's pack).
    """
    if args.format is None:
        args.format = _network_format(args.output)
    if args.format == "pdf" and args.output == "-":
        raise UsageError("a PDF is written to a file: give -o NETWORK.pdf")
    from osom_desktop.analysis.network import load_network

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    _prepare_output(args.output, args)
    # Each file read light (storage/network_read.py): every answer, pack and catalog the same.
    net = load_network(folder, light=True)
    if args.format == "backstage":
        return _formats().network_backstage(_console(), net, folder, args)
    if args.format in ("html", "pdf"):
        return _network_executive_pack(net, folder, args)
    return _network_json(net, folder, args)


# As ``osom pack`` does, ``osom network`` takes the form from the output's extension.
_NETWORK_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".pdf": "pdf", ".yaml": "backstage", ".yml": "backstage"}


def _network_format(output: str) -> str:
    fmt = _NETWORK_FORMATS.get(Path(output).suffix.lower()) if output != "-" else None
    if fmt is None:
        raise UsageError(f"{output}: give --format (json, html, pdf, backstage), or an output ending in "
                         ".json, .html, .pdf or .yaml")
    return fmt


def _network_executive_pack(net: Network, folder: Path, args: argparse.Namespace) -> int:
    # One template for both formats (export/executive_pack.py): the PDF is the HTML laid out by WeasyPrint.
    from osom_desktop.export.executive_pack import executive_context, render_executive_html, write_executive

    if args.format == "html" and args.output == "-":
        _write_text(args.output, render_executive_html(executive_context(net, folder)), args)
    else:
        write_executive(net, folder, Path(args.output), replace_read_only=args.replace_read_only)
    _err_unreadable(net)
    _say(f"{args.output}: executive pack of {folder}: {len(net.documents)} services, "
         f"{net.graph.number_of_edges()} dependencies", file=sys.stderr)
    return EXIT_OK


def _network_json(net: Network, folder: Path, args: argparse.Namespace) -> int:
    import json

    from osom_desktop.analysis.network import network_report

    report = network_report(net)
    # The executive's side of the governance loop (analysis/governance.py).
    from osom_desktop.analysis.governance import network_governance

    report["governance"] = network_governance((d.service.name, d) for d in net.documents.values()).as_json()
    from osom_desktop.fitness.rollups import folder_fitness  # rollups.toml next to the services (issue 17)

    report["fitness"] = folder_fitness(net, folder)
    _write_text(args.output, json.dumps(report, indent=2, ensure_ascii=False) + "\n", args)
    _err_unreadable(net)
    _say(
        f"{folder}: {len(report['services'])} services, {len(report['edges'])} dependencies, "
        f"{len(report['findings'])} findings",
        file=sys.stderr,
    )
    return EXIT_OK


def _err_unreadable(net: Network) -> None:
    """The files of the folder left out of the network, each with its reason."""
    for _, reason in [*net.unreadable, *net.duplicate_ids]:
        _err(reason)


def cmd_info(args: argparse.Namespace) -> int:
    src = Path(args.file)
    doc, diagnostics = _load_document(src, args.trust_edits)
    lines = _info_lines(doc)
    if doc.revisions:
        lines.append(_info_last_saved(doc))
    unplaced = sum(1 for d in diagnostics if d.severity == "error")
    if unplaced:
        lines.append(f"  {unplaced} OWM lines could not be placed (osom check lists them)")
    _say("\n".join(lines))
    return EXIT_OK


def _info_lines(doc: ServiceDocument) -> list[str]:
    """The service, its lifecycle, map, contract and guidance: one line each."""
    s, c, m = doc.service, doc.contract, doc.map
    counts = m.counts()
    rejected = sum(1 for d in doc.decisions if d.status == "rejected")
    return [
        f"{_t(s.name)}" + (f" — managed by {_t(s.manager)}" if s.manager else ""),
        f"  lifecycle: {s.lifecycle}" + (f"; evolution: {c.evolution_stage}" if c.evolution_stage else ""),
        f"  map: {_t(m.title) if m.title else '(untitled)'}; {counts['components']} components, {counts['anchors']} anchors, "
        f"{counts['links']} links, {counts['flows']} flows, {counts['notes']} notes, {counts['pipelines']} pipelines",
        f"  contract: {len(c.user_needs)} user needs, {len(c.measures)} measures, {len(c.dependencies)} dependencies",
        f"  guidance: {len(doc.decisions)} decisions ({rejected} rejected); assessments: {len(doc.assessments)}",
    ]


def _info_last_saved(doc: ServiceDocument) -> str:
    last = doc.revisions[-1]
    by = f" by {_t(last.author)}" if last.author else ""
    return f"  saved {len(doc.revisions)} times; last {last.saved_at:%Y-%m-%d %H:%M} UTC{by}"


# -- plumbing -----------------------------------------------------------------------


def _user() -> str:
    from osom_desktop.model.people import current_user

    return current_user()


def _write_text(output: str, text: str, args: argparse.Namespace) -> None:
    """Data the user asked for (OWM, JSON, HTML): to stdout as it is, or to a file
    atomically, checked; a failed write to stdout (a full disk behind ``>``, a closed
    pipe) is an error too, not a success."""
    if output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as exc:
            if _broken_pipe(exc):
                raise  # the reader left: main ends quietly
            raise UsageError(f"standard output: not written: {exc.strerror or exc}") from None
        return
    from osom_desktop.export.output import write_export

    write_export(Path(output), text.encode("utf-8"), "text", replace_read_only=args.replace_read_only)


def _formats():  # noqa: ANN202 - the module
    """Mermaid, JSON (schema), Backstage and ``show`` live in osom_desktop.formats."""
    from osom_desktop.formats import commands

    return commands


def _console():  # noqa: ANN202
    return _formats().Console(say=_say, err=_err, write_text=_write_text, load_document=_load_document)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, like every other misuse
        self.exit(EXIT_UNREADABLE, for_terminal(f"osom: {message} (see 'osom --help')") + "\n")


# The commands defined here. For these (and ``--version``) the parser needs none of the
# others, whose modules ``osom measures``, ``osom show`` and ``osom import-backstage``
# bring (csv, dataclasses, inspect): one ``osom check`` process per file in a shell loop
# pays for every module it loads (issue 11).
_OWN_COMMANDS = frozenset({"import", "export", "check", "pack", "network", "info"})


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole ``osom`` parser; given the command line, only what parsing it needs:
    the other commands are left out when its first word is one of ``_OWN_COMMANDS`` or
    ``--version`` (``osom --help`` and a mistyped command still list them all)."""
    p = _Parser(prog="osom", description="OSOM Desktop on the command line: service files, OWM maps, packs.")
    p.add_argument("--version", action="version", version=f"osom {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    trust = _Parser(add_help=False)
    trust.add_argument(
        "--trust-edits", action="store_true",
        help="open a .osom file changed by another program since its last save (e.g. the sqlite3 shell)",
    )
    writes = _Parser(add_help=False)
    writes.add_argument(
        "--replace-read-only", action="store_true",
        help="replace the output file even if it is read-only (its permissions are kept)",
    )

    imp = sub.add_parser("import", parents=[writes], help="make a service file from an OWM map, Mermaid wardley-beta text or exported JSON")
    imp.add_argument("map", help="OWM text, Mermaid (.mmd) or JSON from 'osom export --format json'")
    imp.add_argument("-o", "--output", required=True, help="the .osom file to write")
    imp.add_argument("--name", help="service name (default: the map's title)")
    imp.add_argument("--manager", help="service manager")
    imp.add_argument("--author", help="who is saving (default: your user name)")
    imp.add_argument("--force", action="store_true", help="replace an existing output file")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", parents=[trust, writes], help="write a service's map or document in another format")
    exp.add_argument("file", help=".osom file (or OWM text)")
    exp.add_argument("--format", "-f", required=True, choices=["owm", "json", "mermaid", "svg", "png"])
    exp.add_argument("-o", "--output", required=True, help="output file, or - for stdout")
    exp.set_defaults(func=cmd_export)

    chk = sub.add_parser("check", parents=[trust],
                         help="exit 0 when sound, 1 when problems were found, 2 when unreadable (the worst of the files)")
    chk.add_argument("files", nargs="+", metavar="file",
                     help=".osom files or OWM text; each is checked, one failing never stops the others")
    chk.set_defaults(func=cmd_check)

    pk = sub.add_parser("pack", parents=[trust, writes], help="the governance pack for the executive (.html or .pdf)")
    pk.add_argument("file", help=".osom file")
    pk.add_argument("-o", "--output", required=True, help="PACK.html or PACK.pdf (the extension picks the form)")
    pk.set_defaults(func=cmd_pack)

    net = sub.add_parser(
        "network", parents=[writes], help="the service network of a folder and its findings, or its executive pack (html, pdf)",
        description="The service network of a folder: json is the report as data; html and pdf are the "
                    "executive pack (cover, network drawing, services table, findings, unreadable files, "
                    "then each service's governance pack).",
    )
    net.add_argument("folder", help="folder holding .osom files (searched recursively)")
    net.add_argument("--format", "-f", choices=["json", "html", "pdf", "backstage"],
                     help="json: the report as data; html, pdf: the executive pack; "
                          "backstage: catalog-info.yaml entities (default: from the output's extension)")
    net.add_argument("-o", "--output", required=True, help="output file, or - for stdout (json, html, backstage)")
    net.add_argument("--pack-url", help="backstage: where the services' governance packs are published "
                                        "(each entity links to PACK_URL/<file name>.html)")
    net.set_defaults(func=cmd_network)

    inf = sub.add_parser("info", parents=[trust], help="a short summary of a service file")
    inf.add_argument("file", help=".osom file or OWM text")
    inf.set_defaults(func=cmd_info)

    if argv and (argv[0] in _OWN_COMMANDS or argv[0] == "--version"):
        return p
    from osom_desktop.fitness import measures_command  # osom measures (issue 17)

    measures_command.add_parser(sub, [writes], lambda args: measures_command.run(
        args, say=_say, err=_err, write_text=_write_text, author=args.author or _user()))
    _formats().add_show_parser(sub, [trust], lambda args: _formats().show(_console(), args))
    _formats().add_import_backstage_parser(
        sub, [writes], lambda args: _formats().import_backstage(_console(), args, args.author or _user()))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """``osom``: ``osom check`` through the warm check server where one answers
    (check_server.py), everything else here. The ``osom`` script enters by
    ``command.main``, which does the same without importing this module first."""
    from osom_desktop.check_server import served_or_run

    return served_or_run(list(sys.argv[1:] if argv is None else argv), run)


def run(argv: Sequence[str]) -> int:
    """The command line's work, in this process (the check server calls this too)."""
    # pydantic looks for plugins (observers of validation, e.g. logfire) by scanning the
    # entry points of every installed package when it builds its first model: ~6 ms of
    # each ``osom check`` process in a shell loop (issue 11), and osom ships none. A
    # value the user set (a list of plugins to skip, or empty for all) is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = build_parser(argv).parse_args(argv)
    try:
        try:
            code = args.func(args)
            sys.stdout.flush()  # a closed pipe shows here, not as a message at interpreter exit
            return code
        except KeyboardInterrupt:
            # Not exit 130: the process ends by SIGINT (check_server.served_or_run, which
            # main and the osom script go through), so a shell loop of checks stops.
            raise
        except Exception as exc:  # noqa: BLE001 - every failure ends as one line
            if _broken_pipe(exc):
                raise
            return _report_failure(exc)  # itself may meet a closed stderr
    except OSError as exc:
        if not _broken_pipe(exc):
            raise
        from osom_desktop.check_server import silence_closed_streams

        silence_closed_streams()
        return EXIT_BROKEN_PIPE


def _broken_pipe(exc: BaseException) -> bool:
    """The reader of what we write went away: stdout closed by ``head``, a FIFO's
    reader gone (storage.atomic's WriteError keeps the errno)."""
    import errno

    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def _is_stream(path: Path) -> bool:
    """A FIFO or a device (``/dev/stdout``): written through, not "already existing"."""
    from osom_desktop.storage.atomic import is_stream

    try:
        return is_stream(path.stat())
    except OSError:
        return False


def _report_failure(exc: Exception, src: Path | None = None) -> int:
    """One line on stderr for what stopped a command (or one file of ``osom check``):
    exit 2. ``src``: the file it was about, named when the message does not name it."""
    if isinstance(exc, OsomError):
        message = str(exc)
        from osom_desktop.storage.errors import ChangedOutsideError

        if isinstance(exc, ChangedOutsideError):  # the way out, for an edit made on purpose
            message += " (if you changed it on purpose, pass --trust-edits)"
    elif isinstance(exc, OSError):
        where = exc.filename or ""
        message = f"{where}: {exc.strerror or exc}" if where else str(exc)
    else:  # a bug of ours: still one line, never a traceback
        if os.environ.get("OSOM_DEBUG"):
            raise exc
        message = f"internal error: {type(exc).__name__}: {exc} (set OSOM_DEBUG=1 for details)"
    if src is not None and str(src) not in message and src.name not in message:
        message = f"{src}: {message}"
    _err(message)
    return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
