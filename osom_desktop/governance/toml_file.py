"""Reading an executive's TOML file: bytes, UTF-8, syntax, then checked field by field.

The guidance catalogue's reader already turns every problem into a one-line
``FILE:LINE: problem``; the criteria and mandate files reuse its error, its syntax
messages and its line scanner (``guidance.toml_lines``) rather than a second copy.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from osom_desktop.guidance.catalogue import CatalogueError, _kind, _Reader, _shown, _syntax_error
from osom_desktop.guidance.toml_lines import KeyLines

MAX_FILE_BYTES = 16 * 1024 * 1024
TomlPath = tuple[str | int, ...]

__all__ = ["CatalogueError", "Fields", "read_text", "parse_toml", "shown"]
shown = _shown


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """The file's text; one-line CatalogueError for a missing, huge or non-UTF-8 file."""
    name = os.fspath(path)
    try:
        with open(Path(path), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CatalogueError(name, None, "no such file") from None
    except IsADirectoryError:
        raise CatalogueError(name, None, f"is a folder, not a {what}") from None
    except PermissionError:
        raise CatalogueError(name, None, "not allowed to read this file") from None
    except OSError as exc:
        raise CatalogueError(name, None, f"could not read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueError(name, None, f"too large to be a {what} (over {MAX_FILE_BYTES:,} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogueError(name, line, "not UTF-8 text (save the file as UTF-8)") from None


def parse_toml(text: str, filename: str) -> tuple[dict[str, Any], KeyLines]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(str(exc), text, filename) from None
    return data, KeyLines(text)


class Fields:
    """Typed reads of one parsed file; every problem names the file, line and field."""

    def __init__(self, filename: str, lines: KeyLines) -> None:
        self.filename = filename
        self.lines = lines

    def fail(self, path: TomlPath, problem: str) -> CatalogueError:
        return CatalogueError(self.filename, self.lines.line_of(*path), problem)

    def known(self, table: dict[str, Any], at: TomlPath, allowed: tuple[str, ...], what: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail((*at, key), f"unknown field {key!r} in {what} (known fields: {', '.join(allowed)})")

    def required(self, table: dict[str, Any], at: TomlPath, keys: tuple[str, ...], what: str) -> None:
        for key in keys:
            if key not in table:
                raise self.fail(at, f"{what} has no {key} (it needs {', '.join(keys)})")
            value = table[key]
            if isinstance(value, str) and not value.strip():
                raise self.fail((*at, key), f"{key} of {what} is empty")

    def text(self, table: dict[str, Any], at: TomlPath, key: str, what: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise self.fail((*at, key), f'{key} of {what} must be text in quotes, e.g. {key} = "..." (got {_kind(value)})')
        return value.strip()

    def texts(self, table: dict[str, Any], at: TomlPath, key: str, what: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail((*at, key), f'{key} of {what} must be a list of texts, e.g. {key} = ["a", "b"] (got {_kind(value)})')
        return [v.strip() for v in value]

    # The same date rule as the guidance catalogue (TOML date, or a quoted ISO date), one copy.
    date = _Reader.date

    def entries(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail((key,), f"{key} entries are tables written [[{key}]], with double brackets")
        return entries

    def unique(self, seen: dict[str, int | None], value: str, path: TomlPath, what: str) -> None:
        here = self.lines.line_of(*path)
        if value in seen:
            first = seen[value]
            where = f" (lines {first} and {here})" if first and here and first != here else ""
            raise CatalogueError(self.filename, here, f"{what} id {_shown(value)} is used twice{where}; each needs its own id")
        seen[value] = here
