"""Which line of a TOML text defines which key: tomllib gives values, not positions.

A catalogue error must name its line ("catalogue.toml:31: unknown field 'summary'"),
but ``tomllib`` reports lines only for syntax errors. This scanner walks the raw text
once, skipping strings, comments and the insides of arrays and inline tables, and
records where each table header and each ``key =`` statement starts, under the same
path the parsed data uses: ``("guidance", 2, "title")`` is the title of the third
``[[guidance]]`` entry.

It is run on text ``tomllib`` has already accepted, so it need not validate anything;
on broken text (``unterminated_string_line``) it does its best and never raises.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(slots=True)
class _Cursor:
    text: str
    i: int = 0
    line: int = 1

    @property
    def at_end(self) -> bool:
        return self.i >= len(self.text)

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def skip_blanks(self) -> None:
        while not self.at_end and self.text[self.i] in " \t":
            self.i += 1

    def advance_over(self, end: int) -> None:
        """Move to ``end``, counting the newlines passed."""
        self.line += self.text.count("\n", self.i, end)
        self.i = end


@dataclass(slots=True)
class KeyLines:
    """Line numbers (1-based) of the headers and keys of one TOML text."""

    text: str
    lines: dict[Path, int] = field(default_factory=dict)
    open_string_line: int | None = None  # where an unterminated string starts

    def __post_init__(self) -> None:
        self._scan()

    def line_of(self, *path: str | int) -> int | None:
        """The line that defines ``path``, else that of its nearest ancestor."""
        p: Path = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None

    # -- scanning -----------------------------------------------------------------

    def _scan(self) -> None:
        cur = _Cursor(self.text)
        arrays: dict[Path, int] = {}  # array-of-tables path -> index of its last entry
        table: Path = ()
        depth = 0  # inside [ ] or { } of a value
        at_statement = True
        while not cur.at_end:
            if at_statement and depth == 0:
                at_statement = False
                table = self._statement(cur, table, arrays)
                continue
            ch = cur.peek()
            if ch == "\n":
                cur.line += 1
                cur.i += 1
                at_statement = depth == 0
            elif ch in "\"'":
                if not self._string(cur):
                    return
            else:
                depth = self._skip(cur, ch, depth)

    def _statement(self, cur: _Cursor, table: Path, arrays: dict[Path, int]) -> Path:
        """The start of a line: a ``[table]`` header (returns its path), or a key whose
        line is noted under ``table``."""
        cur.skip_blanks()
        ch = cur.peek()
        if ch == "[":
            return self._header(cur, arrays)
        if ch and ch not in "#\r\n=":
            line = cur.line
            parts = self._key(cur)
            for n in range(1, len(parts) + 1):
                self.lines.setdefault(table + parts[:n], line)
        return table

    def _skip(self, cur: _Cursor, ch: str, depth: int) -> int:
        """Past one character of a value (a comment as a whole); returns the new depth."""
        if ch == "#":
            end = self.text.find("\n", cur.i)
            cur.i = len(self.text) if end < 0 else end
            return depth
        cur.i += 1
        if ch in "[{":
            return depth + 1
        if ch in "]}":
            return max(0, depth - 1)
        return depth

    def _header(self, cur: _Cursor, arrays: dict[Path, int]) -> Path:
        """Read ``[a.b]`` or ``[[a.b]]``; returns the indexed path of the new table."""
        line = cur.line
        is_array = cur.peek(2) == "[["
        cur.i += 2 if is_array else 1
        parts = self._key(cur)
        cur.skip_blanks()
        cur.i += 2 if is_array else 1  # the closing bracket(s)
        prefix = self._indexed(parts[:-1], arrays)
        path: Path = prefix + parts[-1:]
        if is_array:
            arrays[path] = arrays.get(path, -1) + 1
            self.lines.setdefault(path, line)
            path = path + (arrays[path],)
        self.lines.setdefault(path, line)
        return path

    @staticmethod
    def _indexed(parts: tuple[str, ...], arrays: dict[Path, int]) -> Path:
        """``("guidance", "extra")`` -> ``("guidance", 2, "extra")`` inside entry 2."""
        path: Path = ()
        for part in parts:
            path = path + (part,)
            if path in arrays:
                path = path + (arrays[path],)
        return path

    def _key(self, cur: _Cursor) -> tuple[str, ...]:
        """A dotted key (bare, "basic" or 'literal' parts); stops before ``=`` or ``]``."""
        parts: list[str] = []
        text = cur.text
        while True:
            cur.skip_blanks()
            ch = cur.peek()
            if ch == '"':
                end = _basic_end(text, cur.i + 1)
                end = len(text) - 1 if end < 0 else end  # broken text: never step backwards
                raw = text[cur.i : end + 1]
                try:
                    parts.append(json.loads(raw))
                except ValueError:  # a TOML escape JSON lacks (\U...): close enough
                    parts.append(raw[1:-1])
                cur.i = end + 1
            elif ch == "'":
                end = text.find("'", cur.i + 1)
                end = len(text) - 1 if end < 0 else end
                parts.append(text[cur.i + 1 : end])
                cur.i = end + 1
            else:
                m = _BARE_KEY.match(text, cur.i)
                if m is None:
                    return tuple(parts)
                parts.append(m.group())
                cur.i = m.end()
            cur.skip_blanks()
            if cur.peek() != ".":
                return tuple(parts)
            cur.i += 1

    def _string(self, cur: _Cursor) -> bool:
        """Skip a string value; False (and note where it began) if it never ends."""
        text, start, quote = cur.text, cur.i, cur.peek()
        if cur.peek(3) == quote * 3:
            end = text.find(quote * 3, start + 3) if quote == "'" else _ml_basic_end(text, start + 3)
            if end < 0:
                self.open_string_line = cur.line
                return False
            run = 3  # up to two more quotes belong to the content: '''it's'''''
            while run < 5 and text[end + run : end + run + 1] == quote:
                run += 1
            cur.advance_over(end + run)
            return True
        nl = text.find("\n", start + 1)
        limit = len(text) if nl < 0 else nl
        end = text.find("'", start + 1, limit) if quote == "'" else _basic_end(text, start + 1, limit)
        if end < 0 or end >= limit:
            self.open_string_line = cur.line
            return False
        cur.i = end + 1
        return True


def _basic_end(text: str, i: int, limit: int | None = None) -> int:
    """Index of the ``"`` closing a basic string whose content starts at ``i``; -1 if none."""
    limit = len(text) if limit is None else limit
    while i < limit:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        i += 1
    return -1


def _ml_basic_end(text: str, i: int) -> int:
    """Index of the ``\"\"\"`` closing a multi-line basic string; -1 if none."""
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if text.startswith('"""', i):
            return i
        i += 1
    return -1


def unterminated_string_line(text: str) -> int | None:
    """Where a string that never ends begins (tomllib says only "at end of document")."""
    return KeyLines(text).open_string_line
