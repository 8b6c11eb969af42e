"""Errors a person sees: each carries one line that names the file, line or field."""

from __future__ import annotations


class OsomError(Exception):
    """Base for every error we show to a user as one line (never a traceback)."""


class ModelValidationError(OsomError, ValueError):
    """A value does not fit a field: the message names the field and the value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{field}: {reason} (got {shown})")
