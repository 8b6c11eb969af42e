"""Published guidance: the executive's catalogue file, and what is new in it.

No Qt here: the CLI and tests load catalogues with no display.

    catalogue = load_catalogue("guidance.toml")      # CatalogueError: FILE:LINE: problem
    for decision, item in newer_versions(doc.decisions, catalogue): ...
"""

# The names below are loaded when first used (PEP 562), not with the package: importing
# ``guidance.catalogue`` (as the governance files and the checks do) must not load the
# writer, nor ``paths`` with platformdirs and importlib.resources (issue 11).
from typing import TYPE_CHECKING

from osom_desktop.lazy_names import lazy_getattr

if TYPE_CHECKING:
    from pathlib import Path

    from osom_desktop.guidance.catalogue import (
        CATALOGUE_FIELDS,
        GUIDANCE_FIELDS,
        Catalogue,
        CatalogueError,
        load_catalogue,
        parse_catalogue,
    )
    from osom_desktop.guidance.versions import is_newer, newer_versions, version_key
    from osom_desktop.guidance.writer import write_catalogue

    # The catalogue shipped as an example (and used by tests): osom_desktop/resources/guidance/.
    EXAMPLE_CATALOGUE: Path

_LAZY = {
    "CATALOGUE_FIELDS": "catalogue",
    "GUIDANCE_FIELDS": "catalogue",
    "Catalogue": "catalogue",
    "CatalogueError": "catalogue",
    "load_catalogue": "catalogue",
    "parse_catalogue": "catalogue",
    "is_newer": "versions",
    "newer_versions": "versions",
    "version_key": "versions",
    "write_catalogue": "writer",
}


def __getattr__(name: str) -> object:
    value: object
    if name == "EXAMPLE_CATALOGUE":  # the catalogue shipped as an example: osom_desktop/resources/guidance/
        from osom_desktop.paths import RESOURCES

        value = RESOURCES / "guidance" / "example-catalogue.toml"
        globals()[name] = value
        return value
    return _lazy(name)


_lazy = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "CATALOGUE_FIELDS",
    "EXAMPLE_CATALOGUE",
    "GUIDANCE_FIELDS",
    "Catalogue",
    "CatalogueError",
    "is_newer",
    "load_catalogue",
    "newer_versions",
    "parse_catalogue",
    "version_key",
    "write_catalogue",
]
