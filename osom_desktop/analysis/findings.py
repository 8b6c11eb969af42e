"""Findings: what the app tells a service manager or executive is wrong or risky."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    PROBLEM = "problem"  # the document contradicts itself or cannot be drawn as written
    WARNING = "warning"  # a risk the executive would want to see
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. ``element_id`` lets a view go to the element it is about."""

    code: str  # stable slug, e.g. "duplicate-name"; tests and filters use it
    severity: Severity
    message: str
    element_id: str | None = None

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"
