"""The executive's governance files: criteria catalogues and mandates (no Qt).

Both are TOML files the executive publishes, read like the guidance catalogue: every
problem is one ``FILE:LINE: problem`` line (``CatalogueError``) raised before anything is
returned, so a bad file never half-loads and never touches a service's records.

    sets = load_criteria("uk-service-standard.toml")
    mandates = load_mandates("mandates.toml")
"""

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
