"""What ``parse_owm`` hands back: the map, what it could not place, and where things were."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from osom_desktop.model.text_safety import for_terminal
from osom_desktop.model.wardley import WardleyMap

Severity = Literal["error", "warning"]


def safe_text(text: str) -> str:
    """Map text quoted in a diagnostic, safe to print: a map is untrusted input and
    must not drive the terminal or log it is printed to (the rules are the project's
    one set, ``model.text_safety.for_terminal``)."""
    return for_terminal(text)


@dataclass(slots=True)
class Diagnostic:
    """One problem with one source line, printable the way compilers print them.

    ``error``: the line could not be placed on the map (it is kept verbatim as a raw
    line). ``warning``: the line was read, but something about it was ignored, moved or
    guessed, so the user may want to look.
    """

    filename: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return safe_text(f"{self.filename}:{self.line}: {self.message}")


@dataclass(slots=True)
class ParseResult:
    map: WardleyMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Element id or layout slot ("<component id>#evolve", "title", "style", ...) ->
    # 1-based line, so an editor can jump from a map element to its text and back.
    source_lines: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]
