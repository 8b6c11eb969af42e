"""Stable string ids: undo, files and cross-file references hold these, never names."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A random id, short enough to read in a sqlite3 shell (96 bits of uuid4)."""
    return uuid.uuid4().hex[:24]
