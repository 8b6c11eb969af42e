"""document_fingerprint: a short name for a document's content at one save.

Each revision records it, so "did the map or contract change between two
assessments?" is a string comparison, and opening a file can tell that its content
is not what was saved (a damaged sector, a partial sync, an edit with another tool).

The fingerprint is sha256 over pydantic's JSON dump of the document without its
revisions (the history is not content). ``exclude_defaults`` keeps fingerprints
stable when the model later gains a field with a default: a document that does not
use the new field keeps its fingerprint. pydantic dumps the map's dataclasses in
Rust, so this costs ~3 ms for a 1,000-component map, ~30 ms for 16,000.
"""

from __future__ import annotations

import hashlib
import re

import pydantic_core
from pydantic import TypeAdapter

from osom_desktop.model.service import ServiceDocument

_DOCUMENT = TypeAdapter(ServiceDocument)

# Recorded in each file (table file_info). The JSON comes from pydantic-core, whose
# output could change in small ways between releases; a file whose fingerprints were
# made by another method is not checked against them on open, rather than being
# called damaged after an upgrade. It is checked again once saved by this version.
FINGERPRINT_METHOD = f"sha256 of pydantic-core {pydantic_core.__version__} JSON, revisions and defaults excluded"

# SQLite stores -0.0 in a REAL column as 0 (it keeps integral reals as integers) and
# -0.0 == 0.0 in Python, so the two must fingerprint alike, or a file holding -0.0
# would fail its own check on open. In pydantic's compact JSON a number is followed by
# ",", "]" or "}". The same bytes inside a text are rewritten too, on both sides
# alike, so the only cost is that editing "-0.0," into "0.0," inside a text does not
# change the fingerprint; in exchange the rewrite is one C pass (~7 ms for 5 MB).
_NEGATIVE_ZERO = re.compile(rb"-0\.0(?=[,\]}])")


def canonical_json(doc: ServiceDocument) -> bytes:
    """The bytes the fingerprint is taken over (useful to debug a mismatch)."""
    # warnings=False: a value of the wrong type (a bug elsewhere) is reported by the
    # writer's checks, naming the table and column, not as a pydantic warning here.
    data = _DOCUMENT.dump_json(doc, exclude={"revisions"}, exclude_defaults=True, warnings=False)
    return _NEGATIVE_ZERO.sub(b"0.0", data)


def document_fingerprint(doc: ServiceDocument) -> str:
    """sha256 hex of the document's content, revisions excluded."""
    return hashlib.sha256(canonical_json(doc)).hexdigest()
