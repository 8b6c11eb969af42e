"""A package's names loaded when first used (PEP 562), in one place.

``osom check`` and a window's first paint import the packages ``model``, ``storage``,
``governance`` and ``guidance`` but need few of their modules; each package lists
which module holds each name it offers, and that module loads on the name's first use
(then the name is kept in the package, so the lookup happens once).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, names: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``names`` maps a name to its module
    (relative to ``package``); ``namespace`` is the package's ``globals()``."""

    def __getattr__(name: str) -> object:  # noqa: N807 - PEP 562's name
        where = names.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where}"), name)
        namespace[name] = value
        return value

    return __getattr__
