"""The ``osom`` subcommands and formats of this package; ``cli.py`` only wires them in.

``Console`` carries cli.py's own output helpers (terminal-safe printing, the atomic and
checked writer, the read-only check), so every message and file goes the same way as
the rest of ``osom``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osom_desktop.model.errors import OsomError

if TYPE_CHECKING:  # imported where used: 'osom --help' builds these parsers without the model
    from osom_desktop.formats.backstage import ImportedService
    from osom_desktop.model.service import ServiceDocument

EXIT_OK = 0


class FormatUsageError(OsomError):
    """The command line asks for something these formats cannot do (exit 2)."""


@dataclass(frozen=True, slots=True)
class Console:
    say: Callable[..., None]  # say(text, file=None): lines we composed, control sequences escaped
    err: Callable[[str], None]  # err(message): "osom: message" on stderr
    write_text: Callable[[str, str, argparse.Namespace], None]  # atomic + checked, or stdout for "-"
    load_document: Callable[..., tuple[ServiceDocument, list[Any]]]


# -- export ----------------------------------------------------------------------------


def export_mermaid(console: Console, doc: ServiceDocument, src: Path, args: argparse.Namespace) -> int:
    from osom_desktop.formats.mermaid import write_mermaid

    result = write_mermaid(doc.map)
    console.write_text(args.output, result.text, args)
    for loss in result.losses:
        console.err(f"warning: {src}: not in Mermaid: {loss}")
    return EXIT_OK


def export_json(console: Console, doc: ServiceDocument, args: argparse.Namespace) -> int:
    from osom_desktop.formats.json_schema import document_json

    console.write_text(args.output, document_json(doc), args)
    return EXIT_OK


# -- import ----------------------------------------------------------------------------


def source_format(src: Path) -> str:
    """``json``, ``mermaid`` or ``owm``: by extension, else by the first bytes."""
    suffix = src.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".mmd", ".mermaid"):
        return "mermaid"
    if suffix == ".owm":
        return "owm"
    from osom_desktop.storage.limits import read_head

    head = read_head(src, 4096) or b""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        return "json"
    from osom_desktop.formats.mermaid import looks_like_mermaid

    return "mermaid" if looks_like_mermaid(text) else "owm"


def import_other(console: Console, args: argparse.Namespace, author: str) -> int | None:
    """``osom import`` of JSON or Mermaid; None when the file is OWM (cli.py reads it)."""
    src, out = Path(args.map), Path(args.output)
    form = source_format(src)
    if form == "owm":
        return None
    from osom_desktop.storage import save_document

    if form == "json":
        from osom_desktop.formats.json_schema import read_document_json_file

        doc = read_document_json_file(src)
        _apply_overrides(doc, args)
        kept = _write_unchanged(doc, out, args)
        what = "kept its history" if kept else "recorded as a new revision"
        console.say(f"{out}: imported the service document {doc.service.name!r} from {src} ({what})", file=sys.stderr)
        return EXIT_OK
    from osom_desktop.formats.mermaid import parse_mermaid
    from osom_desktop.model.service import ServiceDocument
    from osom_desktop.owm.textfile import read_text_file

    m = parse_mermaid(read_text_file(src), filename=str(src))
    doc = ServiceDocument()
    doc.service.name = m.title or src.stem
    doc.map = m
    _apply_overrides(doc, args)
    save_document(doc, out, author=author, summary=f"Imported from {src.name}", replace_read_only=args.replace_read_only)
    counts = m.counts()
    console.say(f"{out}: imported {counts['components'] + counts['anchors']} components and anchors, "
                f"{counts['links'] + counts['flows']} links from {src}", file=sys.stderr)
    return EXIT_OK


def _apply_overrides(doc: ServiceDocument, args: argparse.Namespace) -> None:
    if getattr(args, "name", None):
        doc.service.name = args.name
    if getattr(args, "manager", None):
        doc.service.manager = args.manager


def _write_unchanged(doc: ServiceDocument, out: Path, args: argparse.Namespace) -> bool:
    """Write ``doc`` with its own save history when its content is what the last
    revision saved (a file exported and imported unchanged comes back the same);
    otherwise save it as a new revision. True when the history was kept as it was."""
    from osom_desktop.storage import StorageError, document_fingerprint, save_document

    if doc.revisions and doc.revisions[-1].fingerprint == document_fingerprint(doc):
        from osom_desktop.storage.atomic import atomic_write_bytes
        from osom_desktop.storage.writer import build_image

        try:
            image = build_image(doc, doc.revisions)
        except Exception as exc:  # the writer's FileProblem / validation: one line
            raise StorageError(out, f"not saved: {exc}") from None
        atomic_write_bytes(out, image, replace_read_only=args.replace_read_only)
        return True
    save_document(doc, out, author=getattr(args, "author", None) or "", summary=f"Imported from {Path(args.map).name}",
                  replace_read_only=args.replace_read_only)
    return False


# -- show ------------------------------------------------------------------------------


def _is_service_file(src: Path) -> bool:
    from osom_desktop.storage.limits import read_head

    return read_head(src, 16) == b"SQLite format 3\x00"


def show(console: Console, args: argparse.Namespace) -> int:
    """``osom show FILE``: the whole service as stable lines (git's textconv)."""
    from osom_desktop.formats.show import show_text

    src = Path(args.file)
    if source_format(src) == "json":
        from osom_desktop.formats.json_schema import read_document_json_file

        doc = read_document_json_file(src)
    else:
        doc, diagnostics = console.load_document(src, args.trust_edits)
        for d in diagnostics:
            console.say(str(d), file=sys.stderr)
        if not _is_service_file(src):
            doc.service.id = ""  # OWM text has no service yet: a random id would change every run
    # Straight to stdout: the text is already inert (JSON-escaped values), and git
    # compares these bytes.
    sys.stdout.write(show_text(doc))
    sys.stdout.flush()
    return EXIT_OK


# -- Backstage -------------------------------------------------------------------------


def network_backstage(console: Console, net: Any, folder: Path, args: argparse.Namespace) -> int:
    """``osom network FOLDER --format backstage``: catalog-info.yaml for the folder's services."""
    from osom_desktop.formats.backstage import CatalogService, catalog_entities, dump_catalog

    services = []
    for sid in net.services():
        doc = net.documents[sid]
        ids, names = [], []
        for target in net.graph.successors(sid):
            if target in net.documents:
                ids.append(target)
            else:
                names.append(net.graph.nodes[target]["name"])
        services.append(CatalogService(doc, Path(net.paths[sid]), ids, sorted(names)))
    entities = catalog_entities(services, folder=folder, pack_url=getattr(args, "pack_url", None))
    console.write_text(args.output, dump_catalog(entities), args)
    for _, reason in [*net.unreadable, *net.duplicate_ids]:
        console.err(reason)
    console.say(f"{args.output}: {len(entities)} Backstage entities from {folder}", file=sys.stderr)
    return EXIT_OK


def import_backstage(console: Console, args: argparse.Namespace, author: str) -> int:
    """``osom import-backstage FILE -o FOLDER``: one service file per Component entity.

    Every entity is read and checked before any file is written, and no existing file
    is replaced without --force: a bad catalogue leaves the folder as it was."""
    from osom_desktop.formats.backstage import BackstageError, file_name_for, read_catalog
    from osom_desktop.storage import save_document

    src, folder = Path(args.file), Path(args.output)
    services, skipped = read_catalog(_catalogue_bytes(src), str(src))
    if not services:
        raise BackstageError(f"{src}: no Component entities to import")
    if not folder.is_dir():
        raise FormatUsageError(f"{folder}: {'not a folder' if folder.exists() else 'no such folder'}")
    targets = [(s, folder / file_name_for(s.entity_name)) for s in services]
    _check_targets(src, targets, args)
    for line in skipped:
        console.err(f"warning: {line}")
    for s, target in targets:
        for note in s.notes:
            console.err(f"warning: {note}")
        save_document(s.doc, target, author=author, summary=f"Imported from Backstage catalogue {src.name}",
                      replace_read_only=args.replace_read_only)
        console.say(f"{target}: {s.doc.service.name}", file=sys.stderr)
    return EXIT_OK


def _catalogue_bytes(src: Path) -> bytes:
    from osom_desktop.formats.backstage import MAX_YAML_BYTES, BackstageError

    try:
        size = src.stat().st_size
        if size > MAX_YAML_BYTES:
            raise BackstageError(f"{src}: too large ({size:,} bytes; the limit is {MAX_YAML_BYTES:,})")
        return src.read_bytes()
    except FileNotFoundError:
        raise BackstageError(f"{src}: no such file") from None
    except IsADirectoryError:
        raise BackstageError(f"{src}: is a folder, not a file") from None
    except OSError as exc:
        raise BackstageError(f"{src}: cannot be read ({exc.strerror or exc})") from None


def _check_targets(src: Path, targets: list[tuple[ImportedService, Path]], args: argparse.Namespace) -> None:
    """No two entities to one file, and no file replaced without --force (nor a
    read-only one without --replace-read-only)."""
    from osom_desktop.formats.backstage import BackstageError

    claimed: dict[Path, str] = {}
    for s, target in targets:
        other = claimed.setdefault(target, s.entity_name)
        if other != s.entity_name:
            raise BackstageError(f"{src}: entities {other!r} and {s.entity_name!r} would both be written to {target.name}; "
                                 "rename one")
    existing = [t for _, t in targets if t.exists()]
    if existing and not args.force:
        raise FormatUsageError(f"{existing[0]}: already exists"
                               + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else "")
                               + "; pass --force to replace (their contracts and history would be lost)")
    if not args.replace_read_only:
        _check_replaceable(existing)


def _check_replaceable(existing: list[Path]) -> None:
    from osom_desktop.storage.atomic import check_writable

    for target in existing:
        try:
            check_writable(target)
        except OsomError as exc:
            raise FormatUsageError(f"{exc}; pass --replace-read-only to replace it anyway") from None


def add_import_backstage_parser(sub: Any, parents: list[argparse.ArgumentParser], func: Callable[..., int]) -> None:
    p = sub.add_parser("import-backstage", parents=parents,
                       help="make service files from Backstage catalogue entities (kind: Component)",
                       description="Reads catalog-info.yaml (one or more entities) and writes one .osom file per "
                                   "Component entity into the output folder. Placeholders ($text, $json, $yaml) "
                                   "are refused, never resolved.")
    p.add_argument("file", help="catalog-info.yaml")
    p.add_argument("-o", "--output", default=".", help="folder for the service files (default: here)")
    p.add_argument("--author", help="who is saving (default: your user name)")
    p.add_argument("--force", action="store_true", help="replace service files that already exist")
    p.set_defaults(func=func)


def add_show_parser(sub: Any, parents: list[argparse.ArgumentParser], func: Callable[..., int]) -> None:
    p = sub.add_parser("show", parents=parents, help="the whole service as stable text, one fact per line (for git diff)",
                       description="Prints the whole service document (service, contract, map, decisions, "
                                   "assessments, history) sorted and one fact per line. For git: see README "
                                   "(textconv).")
    p.add_argument("file", help=".osom file (or OWM text, or exported JSON)")
    p.set_defaults(func=func)
