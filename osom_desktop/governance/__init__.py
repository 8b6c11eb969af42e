"""The executive's governance files: criteria catalogues and mandates (no Qt).

Both are TOML files the executive publishes, read like the guidance catalogue: every
problem is one ``FILE:LINE: problem`` line (``CatalogueError``) raised before anything is
returned, so a bad file never half-loads and never touches a service's records.

    sets = load_criteria("uk-service-standard.toml")
    mandates = load_mandates("mandates.toml")
"""

# The names below are loaded when first used (PEP 562), not with the package: the checks
# import ``governance.scales`` alone, and ``osom check`` must not pay for the catalogue
# readers (TOML, the guidance package, platformdirs) it never calls (issue 11).
from typing import TYPE_CHECKING

from osom_desktop.lazy_names import lazy_getattr

if TYPE_CHECKING:
    from osom_desktop.governance.criteria import (
        SHIPPED_CRITERIA,
        CriteriaSet,
        Criterion,
        criteria_text,
        load_criteria,
        parse_criteria,
        scale_problems,
        shipped_sets,
    )
    from osom_desktop.governance.mandates import Mandate, load_mandates, parse_mandates
    from osom_desktop.governance.scales import SCALES, Scale, scale_of

_LAZY = {
    "SHIPPED_CRITERIA": "criteria",
    "CriteriaSet": "criteria",
    "Criterion": "criteria",
    "criteria_text": "criteria",
    "load_criteria": "criteria",
    "parse_criteria": "criteria",
    "scale_problems": "criteria",
    "shipped_sets": "criteria",
    "Mandate": "mandates",
    "load_mandates": "mandates",
    "parse_mandates": "mandates",
    "SCALES": "scales",
    "Scale": "scales",
    "scale_of": "scales",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "SCALES",
    "SHIPPED_CRITERIA",
    "criteria_text",
    "CriteriaSet",
    "Criterion",
    "Mandate",
    "Scale",
    "load_criteria",
    "load_mandates",
    "parse_criteria",
    "parse_mandates",
    "scale_of",
    "scale_problems",
    "shipped_sets",
]
