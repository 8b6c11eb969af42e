"""Published guidance: the executive's catalogue file, and what is new in it.

No Qt here: the CLI and tests load catalogues with no display.

    catalogue = load_catalogue("guidance.toml")      # CatalogueError: FILE:LINE: problem
    for decision, item in newer_versions(doc.decisions, catalogue): ...
"""

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
from osom_desktop.paths import RESOURCES

# The catalogue shipped as an example (and used by tests): osom_desktop/resources/guidance/.
EXAMPLE_CATALOGUE = RESOURCES / "guidance" / "example-catalogue.toml"

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
