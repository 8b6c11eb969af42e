"""Where bundled resources and per-user state live (no Qt: the CLI uses it too).

Bundled files are package data found through ``importlib.resources``, so they are found the
same way from a source checkout, an editable install, an installed wheel or a frozen bundle.
Per-user folders follow the OS's conventions (platformdirs); ``OSOM_HOME`` moves all of them
under one folder, which is how the tests keep away from a person's real settings and recovery
files (and how someone can run a portable copy).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

APP_NAME = "OSOM Desktop"
APP_AUTHOR = "OSOM"

if TYPE_CHECKING:
    # A real folder for the package's resources (as_file extracts only when the package is zipped).
    RESOURCES: Path
    SAMPLES: Path
    ICONS: Path


def __getattr__(name: str) -> Path:
    """``RESOURCES``, ``SAMPLES`` and ``ICONS``, found when first used (PEP 562):
    ``osom check`` wants only the cache folder, and importlib.resources' readers and
    platformdirs cost each process of a shell loop ~5-10 ms (issue 11)."""
    if name not in ("RESOURCES", "SAMPLES", "ICONS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import atexit
    import contextlib
    import importlib.resources

    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    resources: Path = stack.enter_context(importlib.resources.as_file(importlib.resources.files("osom_desktop") / "resources"))
    globals().update(RESOURCES=resources, SAMPLES=resources / "samples", ICONS=resources / "icons")
    value: Path = globals()[name]
    return value


def _home_override() -> Path | None:
    home = os.environ.get("OSOM_HOME")
    return Path(home).expanduser() if home else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_data_dir() -> Path:
    """Per-user app data (recovery files, the sample copy): local, never a sync folder."""
    home = _home_override()
    if home is not None:
        return _ensure(home / "data")
    import platformdirs

    return _ensure(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)))


def user_config_dir() -> Path:
    """Per-user settings (window layout, recent files)."""
    home = _home_override()
    if home is not None:
        return _ensure(home / "config")
    import platformdirs

    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=False)))


def user_cache_dir() -> Path:
    """Things that can be rebuilt at any time (e.g. summaries of other services' files)."""
    home = _home_override()
    if home is not None:
        return _ensure(home / "cache")
    import platformdirs

    return _ensure(Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)))
