"""The JSON form of a whole service document, its published JSON Schema, and reading it back.

``osom export --format json`` writes ``{"format": "osom-service-document",
"format_version": 1, "service": ..., "contract": ..., "map": ..., "decisions": ...,
"assessments": ..., "contract_changes": ..., "revisions": ...}``. The schema for version 1
ships in the package (``resources/schema/service-document-1.schema.json``) so other tools
can validate what we write; it is generated from the model
(``python -m osom_desktop.formats.json_schema --write``) and a test fails when the
model and the shipped schema part ways, which is when the version must go up.

Reading is for untrusted files: size capped, nesting depth capped, checked against the
schema (the first problem named by its path), then by the model; ``str()`` of every
error is one line naming the file and the field.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import sys
import typing
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import ServiceDocument
from osom_desktop.model.validation import first_error
from osom_desktop.model.wardley import WardleyMap

FORMAT = "osom-service-document"
FORMAT_VERSION = 1
SCHEMA_FILE = f"service-document-{FORMAT_VERSION}.schema.json"
SCHEMA_ID = f"urn:osom-desktop:schema:{FORMAT}:{FORMAT_VERSION}"
# A hand-drawn service is kilobytes; 64 MB holds a 16,000-component map many times.
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 64  # our documents nest about 12 deep (an assessment's map snapshot)

_DOCUMENT = TypeAdapter(ServiceDocument)


class JsonImportError(OsomError):
    """A JSON file that is not a service document we can read; one line naming file and field."""


def document_json(doc: ServiceDocument) -> str:
    """The document as JSON text (format and version first), ending with a newline."""
    body = json.loads(_DOCUMENT.dump_json(doc))
    return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **body}, indent=2, ensure_ascii=False) + "\n"


def generated_schema() -> dict[str, Any]:
    """The schema the model implies today (what ``--write`` ships)."""
    schema = _DOCUMENT.json_schema(mode="serialization")
    schema["properties"] = {
        "format": {"const": FORMAT, "description": "Always 'osom-service-document'."},
        "format_version": {"const": FORMAT_VERSION, "description": "Which version of this schema the file follows."},
        **schema["properties"],
    }
    schema["required"] = ["format", "format_version", *schema.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "OSOM service document",
        "description": "One service of the Organised Services Operating Model: its service, eight-point "
                       "contract, Wardley map, guidance decisions, assessments, contract changes and "
                       "save history, as written by 'osom export --format json'.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


@cache
def published_schema() -> dict[str, Any]:
    """The schema shipped with the package."""
    text = resources.files("osom_desktop").joinpath("resources", "schema", SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth_ok(text: str) -> bool:
    """No deeper than MAX_JSON_DEPTH, checked before json.loads recurses into it."""
    depth = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):  # brackets inside texts do not count
        if m.group() in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return False
        else:
            depth -= 1
    return True


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "(the top level)"


def read_document_json(data: bytes, filename: str) -> ServiceDocument:
    """A ServiceDocument from JSON bytes; JsonImportError naming the file and field."""
    value = _document_value(_json_value(data, filename), filename)
    _check_schema(_without_map_lists(value), filename)
    _check_map_keys(value, filename)
    body = {k: v for k, v in value.items() if k not in ("format", "format_version")}
    try:
        # strict, in JSON mode: "0.5" is not a number here, as the schema says; dates
        # and enum values still come from their JSON strings.
        doc = _DOCUMENT.validate_json(json.dumps(body, ensure_ascii=False), strict=True)
    except ValidationError as exc:
        raise JsonImportError(f"{filename}: {first_error(exc)}") from None
    _check_references(doc, filename)
    return doc


def _json_value(data: bytes, filename: str) -> Any:  # noqa: ANN401 - any JSON value
    """The JSON in ``data``: bounded in size and depth, UTF-8, no NaN or Infinity."""
    if len(data) > MAX_JSON_BYTES:
        raise JsonImportError(f"{filename}: too large ({len(data):,} bytes; the limit is {MAX_JSON_BYTES:,})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise JsonImportError(f"{filename}:{line}: not UTF-8 text") from None
    if not _depth_ok(text):
        raise JsonImportError(f"{filename}: nested more than {MAX_JSON_DEPTH} deep; not a service document")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise JsonImportError(f"{filename}:{exc.lineno}: not JSON ({exc.msg})") from None
    except ValueError as exc:
        raise JsonImportError(f"{filename}: {exc}") from None


def _document_value(value: Any, filename: str) -> dict[str, Any]:  # noqa: ANN401 - any JSON value
    """``value`` if it is a service document of the format version we read."""
    if isinstance(value, dict) and "format" not in value and "service" in value and set(value) <= set(ServiceDocument.model_fields):
        # Written by osom before the format was named (a plain model dump): version 1.
        value = {"format": FORMAT, "format_version": 1, **value}
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise JsonImportError(f"{filename}: not an OSOM service document (no \"format\": \"{FORMAT}\"); "
                              "write one with 'osom export --format json'")
    version = value.get("format_version")
    if version != FORMAT_VERSION:
        raise JsonImportError(f"{filename}: format_version {version!r}; this osom reads version {FORMAT_VERSION}"
                              + (" (a newer osom wrote it)" if isinstance(version, int) and version > FORMAT_VERSION else ""))
    return value


# The map's element lists are checked by the model (types) and _check_map_keys (unknown
# keys) instead of by jsonschema, which takes ~8 s over a 16,000-component map against
# ~0.5 s for the rest; what the schema says about them is the same.
_MAP_LISTS = {f.name: f for f in dataclasses.fields(WardleyMap)
              if typing.get_origin(typing.get_type_hints(WardleyMap)[f.name]) is list}


def _element_types() -> dict[str, type]:
    hints = typing.get_type_hints(WardleyMap)
    return {name: typing.get_args(hints[name])[0] for name in _MAP_LISTS}


def _maps(value: dict[str, Any]) -> list[tuple[str, Any]]:
    found = [("map", value.get("map"))]
    assessments = value.get("assessments")
    if isinstance(assessments, list):
        found += [(f"assessments.{i}.map_snapshot", a.get("map_snapshot"))
                  for i, a in enumerate(assessments) if isinstance(a, dict)]
    return [(where, m) for where, m in found if isinstance(m, dict)]


def _without_map_lists(value: dict[str, Any]) -> dict[str, Any]:
    light = copy.copy(value)
    if isinstance(light.get("map"), dict):
        light["map"] = {k: v for k, v in light["map"].items() if k not in _MAP_LISTS}
    if isinstance(light.get("assessments"), list):
        light["assessments"] = [
            {**a, "map_snapshot": {k: v for k, v in a["map_snapshot"].items() if k not in _MAP_LISTS}}
            if isinstance(a, dict) and isinstance(a.get("map_snapshot"), dict) else a
            for a in light["assessments"]]
    return light


def _check_map_keys(value: dict[str, Any], filename: str) -> None:
    """Unknown keys in map elements: an error, as the schema's additionalProperties says
    (the model would silently drop them, and the data with them)."""
    types = _element_types()
    for where, m in _maps(value):
        for name, cls in types.items():
            items = m.get(name)
            if not isinstance(items, list):
                continue  # the model names a wrong type
            for i, item in enumerate(items):
                _unknown_keys(item, cls, f"{where}.{name}.{i}", filename)


@cache
def _shape(cls: type) -> tuple[frozenset[str], dict[str, type]]:
    """A dataclass's field names, and the fields holding another dataclass."""
    hints = typing.get_type_hints(cls)
    nested: dict[str, type] = {}
    for f in dataclasses.fields(cls):
        inner = [t for t in (hints[f.name], *typing.get_args(hints[f.name])) if isinstance(t, type) and dataclasses.is_dataclass(t)]
        if inner:
            nested[f.name] = inner[0]
    return frozenset(f.name for f in dataclasses.fields(cls)), nested


def _unknown_keys(item: Any, cls: type, where: str, filename: str) -> None:
    if not isinstance(item, dict):
        return
    allowed, nested = _shape(cls)
    if not allowed.issuperset(item):
        extra = sorted(k for k in item if k not in allowed)
        raise JsonImportError(f"{filename}: {where}: Additional properties are not allowed ({extra[0]!r} is unknown)")
    for key, inner in nested.items():
        sub = item.get(key)
        if isinstance(sub, dict):
            _unknown_keys(sub, inner, f"{where}.{key}", filename)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _check_schema(value: dict[str, Any], filename: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(published_schema()).iter_errors(value))
    if error is not None:
        message = " ".join(error.message.split())
        if error.validator in ("anyOf", "oneOf"):  # "not valid under any of the given schemas" names nothing
            kinds = [str(sub.get("type") or sub.get("$ref", "a value").rsplit("/", 1)[-1]) for sub in error.validator_value]
            message = f"{error.instance!r:.60} is not {' or '.join(kinds)}"
        if len(message) > 200:
            message = message[:200] + "…"
        raise JsonImportError(f"{filename}: {_where(error.absolute_path)}: {message}")


def _check_references(doc: ServiceDocument, filename: str) -> None:
    """What the schema cannot say: ids unique, links and pipelines naming real components."""
    maps = [("map", doc.map)] + [(f"assessments.{i}.map_snapshot", a.map_snapshot)
                                 for i, a in enumerate(doc.assessments) if a.map_snapshot is not None]
    for where, m in maps:
        _check_unique_ids(m, f"{filename}: {where}")
        _check_ends(m, f"{filename}: {where}")


def _check_unique_ids(m: WardleyMap, where: str) -> None:
    seen: set[str] = set()
    groups: list[tuple[str, list[Any]]] = [
        ("components", m.components), ("links", m.links), ("pipelines", m.pipelines), ("notes", m.notes),
        ("annotations", m.annotations), ("areas", m.areas), ("accelerators", m.accelerators), ("urls", m.urls),
        ("raw_lines", m.raw_lines)]  # every element has an id
    for group, items in groups:
        for i, item in enumerate(items):
            if item.id in seen:
                raise JsonImportError(f"{where}.{group}.{i}.id: {item.id!r} is used twice")
            seen.add(item.id)


def _check_ends(m: WardleyMap, where: str) -> None:
    """Links and pipelines name real components; children name real pipelines."""
    components = {c.id for c in m.components}
    for i, lk in enumerate(m.links):
        for end, cid in (("source", lk.source), ("target", lk.target)):
            if cid not in components:
                raise JsonImportError(f"{where}.links.{i}.{end}: {cid!r} is no component's id")
    _check_pipelines(m, components, where)


def _check_pipelines(m: WardleyMap, components: set[str], where: str) -> None:
    for i, p in enumerate(m.pipelines):
        if p.component_id not in components:
            raise JsonImportError(f"{where}.pipelines.{i}.component_id: {p.component_id!r} is no component's id")
    pipelines = {p.id for p in m.pipelines}
    for i, c in enumerate(m.components):
        if c.pipeline_id is not None and c.pipeline_id not in pipelines:
            raise JsonImportError(f"{where}.components.{i}.pipeline_id: {c.pipeline_id!r} is no pipeline's id")


def read_document_json_file(path: str | Path) -> ServiceDocument:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_JSON_BYTES:
            raise JsonImportError(f"{p}: too large ({p.stat().st_size:,} bytes; the limit is {MAX_JSON_BYTES:,})")
        data = p.read_bytes()
    except FileNotFoundError:
        raise JsonImportError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise JsonImportError(f"{p}: is a folder, not a file") from None
    except OSError as exc:
        raise JsonImportError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return read_document_json(data, str(p))


def main(argv: list[str] | None = None) -> int:
    """``python -m osom_desktop.formats.json_schema --write``: regenerate the shipped schema."""
    args = sys.argv[1:] if argv is None else argv
    text = json.dumps(generated_schema(), indent=2, ensure_ascii=False) + "\n"
    if args == ["--write"]:
        target = Path(__file__).resolve().parent.parent / "resources" / "schema" / SCHEMA_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        from osom_desktop.storage.atomic import atomic_write_bytes

        atomic_write_bytes(target, text.encode("utf-8"))
        print(target)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
