"""Mandates: instructions the executive issues to named services.

One TOML file holds the executive's mandates (docs/mandates.md)::

    [mandates]                       # optional
    publisher = "OSOM Executive"

    [[mandate]]
    id = "M-2026-01"                 # required, unique in the file
    title = "Move letters to the shared print service"   # required
    text = "..."                     # optional
    issued = 2026-01-15              # required, a date
    due = 2026-06-30                 # optional, a date on or after issued
    services = ["Notifications", "Council Tax"]   # required: service names or ids
    components = ["Print", "Letters"]             # optional: map components concerned

A service takes the mandates addressed to it into its own file (a copy as issued) and
answers each one there; the copy is what findings, the pack and assessments read.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from osom_desktop.governance.toml_file import CatalogueError, Fields, TomlPath, parse_toml, read_text, shown
from osom_desktop.model.service import MandateRecord, Service

HEAD_FIELDS = ("publisher", "published")
MANDATE_FIELDS = ("id", "title", "text", "issued", "due", "services", "components")


@dataclass(frozen=True, slots=True)
class Mandate:
    id: str
    title: str
    issued: dt.date
    services: tuple[str, ...]
    text: str = ""
    due: dt.date | None = None
    components: tuple[str, ...] = ()

    def addresses(self, service: Service) -> bool:
        """Named by the service's id or (case-insensitively) its name."""
        names = {s.casefold() for s in self.services}
        return service.id in self.services or service.name.casefold() in names

    def record(self) -> MandateRecord:
        """The copy a service keeps, not yet answered."""
        return MandateRecord(id=self.id, title=self.title, text=self.text, issued=self.issued, due=self.due,
                             components=list(self.components))


def load_mandates(path: str | os.PathLike[str]) -> list[Mandate]:
    return parse_mandates(read_text(path, "mandates file"), os.fspath(path))


def parse_mandates(text: str, filename: str = "<mandates>") -> list[Mandate]:
    data, lines = parse_toml(text, filename)
    f = Fields(filename, lines)
    _check_head(f, data)
    out: list[Mandate] = []
    seen: dict[str, int | None] = {}
    for n, entry in enumerate(f.entries(data, "mandate")):
        at = ("mandate", n)
        m = _mandate(f, entry, at, n)
        f.unique(seen, m.id, (*at, "id"), "mandate")
        out.append(m)
    return out


def _check_head(f: Fields, data: dict[str, Any]) -> None:
    """Only [mandates] and [[mandate]] at the top; [mandates] with its known keys."""
    for key in data:
        if key not in ("mandates", "mandate"):
            raise f.fail((key,), f"unknown table or key {key!r} (a mandates file has [[mandate]] entries)")
    head = data.get("mandates", {})
    if not isinstance(head, dict):
        raise f.fail(("mandates",), "mandates must be a table, written [mandates]")
    f.known(head, ("mandates",), HEAD_FIELDS, "[mandates]")
    f.text(head, ("mandates",), "publisher", "[mandates]")
    f.date(head, ("mandates",), "published", "[mandates]")


def _issued_and_due(f: Fields, entry: dict[str, Any], at: TomlPath, what: str) -> tuple[dt.date, dt.date | None]:
    issued = f.date(entry, at, "issued", what)
    due = f.date(entry, at, "due", what)
    assert issued is not None  # required before
    if due is not None and due < issued:
        raise f.fail((*at, "due"), f"due of {what} ({due}) is before it was issued ({issued})")
    return issued, due


def _mandate(f: Fields, entry: dict[str, Any], at: TomlPath, n: int) -> Mandate:
    raw = entry.get("id")
    what = f"mandate {shown(raw)}" if isinstance(raw, str) and raw.strip() else f"mandate entry {n + 1}"
    f.known(entry, at, MANDATE_FIELDS, what)
    f.required(entry, at, ("id", "title", "issued", "services"), what)
    issued, due = _issued_and_due(f, entry, at, what)
    services = [s for s in f.texts(entry, at, "services", what) if s]
    if not services:
        raise f.fail((*at, "services"), f"services of {what} names no service")
    m = Mandate(
        id=f.text(entry, at, "id", what),
        title=f.text(entry, at, "title", what),
        text=f.text(entry, at, "text", what),
        issued=issued,
        due=due,
        services=tuple(services),
        components=tuple(c for c in f.texts(entry, at, "components", what) if c),
    )
    if len(m.title) > 500:
        raise f.fail((*at, "title"), f"title of {what} is longer than 500 characters")
    return m


__all__ = ["CatalogueError", "Mandate", "load_mandates", "parse_mandates"]
