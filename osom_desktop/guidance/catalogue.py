"""The executive's guidance catalogue: a TOML file service managers load.

TOML because the executive writes it by hand and reviews it in a diff, and the
standard library reads it (``tomllib``), so loading adds no dependency. The schema
(documented in docs/guidance-catalogue.md)::

    [catalogue]                      # optional
    title = "Executive guidance catalogue"
    publisher = "OSOM Executive"
    published = 2026-03-01

    [[guidance]]                     # one per item; fields are GuidanceItem's
    id = "G-014"                     # required, unique in the file
    version = "2"                    # required, text
    title = "Use the shared print service for all letters"   # required
    text = "..."                     # optional
    source = "..."                   # optional
    published = 2026-03-01           # optional, a TOML date

The file is untrusted in the sense that a person typed it: every problem is a
``CatalogueError`` whose message is one line, ``FILE:LINE: problem``, raised before
anything is returned, so a bad catalogue never half-loads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from osom_desktop.guidance.toml_lines import KeyLines, unterminated_string_line
from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import GuidanceItem

GUIDANCE_FIELDS = ("id", "version", "title", "text", "source", "published")
REQUIRED_FIELDS = ("id", "version", "title")
CATALOGUE_FIELDS = ("title", "publisher", "published")
# A catalogue is a few hundred items at most; this refuses a mistaken multi-GB pick.
MAX_CATALOGUE_BYTES = 16 * 1024 * 1024

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.DOTALL)
_TOML_AT_END = " (at end of document)"


class CatalogueError(OsomError):
    """A catalogue file cannot be loaded (or written).

    ``str()`` is one line, ``FILE:LINE: problem`` (``FILE: problem`` when no line
    applies), like a compiler's message, so an editor or a person can go to it.
    """

    def __init__(self, filename: str, line: int | None, problem: str) -> None:
        self.filename = filename
        self.line = line
        self.problem = " ".join(str(problem).split())
        where = " ".join(filename.splitlines()) or "<catalogue>"
        super().__init__(f"{where}:{line}: {self.problem}" if line else f"{where}: {self.problem}")


@dataclass(slots=True)
class Catalogue:
    """Published guidance, in the order the file lists it."""

    title: str = ""
    publisher: str = ""
    published: dt.date | None = None
    items: list[GuidanceItem] = field(default_factory=list)
    path: Path | None = None  # where it was loaded from; None for parsed text

    def item(self, guidance_id: str) -> GuidanceItem | None:
        for it in self.items:
            if it.id == guidance_id:
                return it
        return None


# -- loading ------------------------------------------------------------------------


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read and check a catalogue file; raises CatalogueError naming file and line."""
    p = Path(path)
    name = os.fspath(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_CATALOGUE_BYTES + 1)
    except FileNotFoundError:
        raise CatalogueError(name, None, "no such file") from None
    except IsADirectoryError:
        raise CatalogueError(name, None, "is a folder, not a catalogue file") from None
    except PermissionError:
        raise CatalogueError(name, None, "not allowed to read this file") from None
    except OSError as exc:
        raise CatalogueError(name, None, f"could not read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(name, None, f"too large to be a guidance catalogue (over {MAX_CATALOGUE_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8-sig")  # a BOM from a Windows editor is harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogueError(name, line, "not UTF-8 text (save the file as UTF-8)") from None
    catalogue = parse_catalogue(text, name)
    catalogue.path = p
    return catalogue


def parse_catalogue(text: str, filename: str = "<catalogue>") -> Catalogue:
    """Check and parse catalogue TOML; ``filename`` is only used in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(str(exc), text, filename) from None
    return _Reader(filename, KeyLines(text)).catalogue(data)


def _syntax_error(message: str, text: str, filename: str) -> CatalogueError:
    """tomllib's ``msg (at line L, column C)`` -> ``FILE:L: not valid TOML: msg (column C)``."""
    m = _TOML_POSITION.match(message)
    if m:
        return CatalogueError(filename, int(m["line"]), f"not valid TOML: {m['msg']} (column {m['col']})")
    msg = message.removesuffix(_TOML_AT_END)
    line: int | None = None
    if msg.startswith("Unterminated string"):
        line = unterminated_string_line(text)
        msg = "a string is opened here but never closed"
    if line is None:  # "at end of document": the last line with anything on it
        lines = text.splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        line = max(1, len(lines))
    return CatalogueError(filename, line, f"not valid TOML: {msg}")


def _shown(value: object, limit: int = 60) -> str:
    """A value as a message shows it: repr (newlines as ``\\n``), cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(value: object) -> str:
    """A TOML value's type, in the words a person writing the file uses."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "a date with a time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    return "a table"


class _Fails(Protocol):
    """What ``_Reader.date`` needs of its reader: the criteria and mandate files' reader
    (governance/toml_file.Fields) borrows it, so the date rule has one copy."""

    def fail(self, path: tuple[str | int, ...], problem: str) -> CatalogueError: ...


class _Reader:
    """Checks parsed TOML against the schema; each problem names its line."""

    def __init__(self, filename: str, lines: KeyLines) -> None:
        self.filename = filename
        self.lines = lines

    def fail(self, path: tuple[str | int, ...], problem: str) -> CatalogueError:
        return CatalogueError(self.filename, self.lines.line_of(*path), problem)

    def catalogue(self, data: dict[str, Any]) -> Catalogue:
        for key in data:
            if key not in ("catalogue", "guidance"):
                raise self.fail(
                    (key,),
                    f"unknown table or key {key!r} (a catalogue has a [catalogue] table and [[guidance]] entries)",
                )
        result = self.head(data.get("catalogue", {}))
        entries = data.get("guidance", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(("guidance",), "guidance entries are tables written [[guidance]], with double brackets")
        seen: dict[str, int | None] = {}
        for n, entry in enumerate(entries):
            item = self.item(entry, n)
            self.unique(seen, item.id, n)
            result.items.append(item)
        return result

    def head(self, head: object) -> Catalogue:
        """The [catalogue] table, without its items."""
        if not isinstance(head, dict):
            raise self.fail(("catalogue",), f"catalogue must be a table, written [catalogue] (got {_kind(head)})")
        for key in head:
            if key not in CATALOGUE_FIELDS:
                raise self.fail(
                    ("catalogue", key),
                    f"unknown field {key!r} in [catalogue] (known fields: {', '.join(CATALOGUE_FIELDS)})",
                )
        return Catalogue(
            title=self.text(head, ("catalogue",), "title", "[catalogue]"),
            publisher=self.text(head, ("catalogue",), "publisher", "[catalogue]"),
            published=self.date(head, ("catalogue",), "published", "[catalogue]"),
        )

    def unique(self, seen: dict[str, int | None], item_id: str, n: int) -> None:
        """Each guidance id once; ``seen`` holds the line of each id so far."""
        here = self.lines.line_of("guidance", n, "id")
        if item_id in seen:
            first = seen[item_id]
            where = f" (lines {first} and {here})" if first and here and first != here else ""
            raise CatalogueError(
                self.filename,
                here,
                f"guidance id {_shown(item_id)} is used twice{where}; each item needs its own id",
            )
        seen[item_id] = here

    def item(self, entry: dict[str, Any], n: int) -> GuidanceItem:
        at = ("guidance", n)
        raw_id = entry.get("id")
        what = f"guidance {_shown(raw_id.strip())}" if isinstance(raw_id, str) and raw_id.strip() else f"guidance entry {n + 1}"
        self.check_keys(entry, at, what)
        values: dict[str, Any] = {key: self.text(entry, at, key, what) for key in GUIDANCE_FIELDS[:-1]}
        values["published"] = self.date(entry, at, "published", what)
        for key in REQUIRED_FIELDS:
            if not values[key].strip():
                raise self.fail((*at, key), f"{key} of {what} is empty")
        try:
            return GuidanceItem(**values)
        except ValidationError as exc:  # e.g. a title over 500 characters
            err = exc.errors()[0]
            key = str(err["loc"][0]) if err["loc"] else "id"
            raise self.fail((*at, key), f"{key} of {what}: {err['msg']}") from None

    def check_keys(self, entry: dict[str, Any], at: tuple[str | int, ...], what: str) -> None:
        """Only known fields, and every required one."""
        for key in entry:
            if key not in GUIDANCE_FIELDS:
                raise self.fail(
                    (*at, key), f"unknown field {key!r} in {what} (known fields: {', '.join(GUIDANCE_FIELDS)})"
                )
        for key in REQUIRED_FIELDS:
            if key not in entry:
                raise self.fail(at, f"{what} has no {key} (every entry needs {', '.join(REQUIRED_FIELDS)})")

    def text(self, table: dict[str, Any], at: tuple[str | int, ...], key: str, what: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            example = '"2"' if key == "version" else '"..."'
            raise self.fail(
                (*at, key), f"{key} of {what} must be text in quotes, e.g. {key} = {example} (got {_kind(value)})"
            )
        return value

    def date(self: _Fails, table: dict[str, Any], at: tuple[str | int, ...], key: str, what: str) -> dt.date | None:
        """A TOML date; a quoted ``"2026-03-01"`` is accepted too, as people write it so."""
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError as exc:
                raise self.fail((*at, key), f"{key} of {what} is not a real date: {exc}") from None
        shown = f" {_shown(value)}" if isinstance(value, str) else ""
        raise self.fail(
            (*at, key),
            f"{key} of {what} must be a date written like {key} = 2026-03-01 (got {_kind(value)}{shown})",
        )
