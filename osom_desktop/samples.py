"""The bundled sample service: an OWM map plus its contract, guidance and assessments.

Kept as text (OWM + JSON) so changes to the sample are readable in review; a fresh
``.osom`` is made from them when someone asks for the sample.
"""

from __future__ import annotations

import json
from pathlib import Path

from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.wardley import ServiceRef
from osom_desktop.paths import SAMPLES, user_data_dir

SAMPLE_NAME = "notifications"


def sample_document(name: str = SAMPLE_NAME) -> ServiceDocument:
    from osom_desktop.owm import parse_owm

    base = SAMPLES / name
    data = json.loads((base.with_suffix(".json")).read_text(encoding="utf-8"))
    doc = ServiceDocument.model_validate(data)
    doc.map = parse_owm(base.with_suffix(".owm").read_text(encoding="utf-8"), filename=f"{name}.owm").map
    # OWM text cannot say which service provides a component: the sample's map and
    # contract agree by name, so link the components named like its dependencies.
    for dependency in doc.contract.dependencies:
        component = doc.map.component_by_name(dependency.service_name)
        if component is not None:
            component.provided_by = ServiceRef(name=dependency.service_name, service_id=dependency.service_id)
    return doc


def sample_file(name: str = SAMPLE_NAME) -> Path:
    """A fresh .osom of the sample in the user's data folder (never the repo's files)."""
    path = user_data_dir() / "samples" / f"{name}.osom"
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = [SAMPLES / f"{name}.owm", SAMPLES / f"{name}.json"]
    newest_source = max(p.stat().st_mtime for p in sources)
    # A copy the user has edited since is theirs; a newer bundled sample replaces it.
    if not path.exists() or path.stat().st_mtime < newest_source:
        from osom_desktop.storage import save_document  # only here: the writer brings sqlite_utils (~0.2 s)

        save_document(sample_document(name), path, summary="Sample service")
    return path
