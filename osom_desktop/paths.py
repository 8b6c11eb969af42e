"""Where bundled resources and per-user state live (no Qt: the CLI uses it too)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLES = RESOURCES / "samples"


def user_data_dir() -> Path:
    """Per-user app data (recovery files, the sample copy): local, never a sync folder."""
    path = Path(platformdirs.user_data_dir("OSOM Desktop", "OSOM", roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
