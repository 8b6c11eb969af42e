"""Backstage catalogue entities <-> service documents.

``osom network FOLDER --format backstage`` writes one ``kind: Component`` entity per
service (``catalog-info.yaml``, documents separated by ``---``), so an organisation that
outgrows a shared folder can load its services into the Backstage catalogue it already
runs. ``osom import-backstage FILE`` reads such entities back into service files.

The mapping (what Backstage has no field for rides in ``osom/...`` annotations, so a
round trip keeps it):

======================  ===============================================================
service name            ``metadata.title``; ``metadata.name`` is it made a Backstage name
manager                 ``spec.owner`` (``user:<name>``) and ``osom/manager`` (as written)
lifecycle               ``spec.lifecycle``: discovery/alpha/beta -> experimental,
                        live -> production, retired -> deprecated; exact stage in
                        ``osom/lifecycle``
contract purpose        ``metadata.description`` (one line)
contract dependencies   ``spec.dependsOn`` (``component:<name>``)
service id, file        ``osom/service-id``, ``osom/source-file``; ``metadata.links``:
                        the governance pack (with ``--pack-url``) and the service file
======================  ===============================================================

Reading is for untrusted YAML: PyYAML's safe loader, aliases refused (a few lines of
anchors can expand to gigabytes), size, entity count and nesting capped, and
Backstage's ``$text``/``$json``/``$yaml`` placeholders refused, never resolved (they
would make us read files or URLs the author chose). Every error is one line naming the
file, the entity and the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from osom_desktop.model.errors import OsomError
from osom_desktop.model.service import Dependency, EvolutionStage, LifecycleStage, ServiceDocument

API_VERSION = "backstage.io/v1alpha1"
ANNOTATION = "osom/"
MAX_YAML_BYTES = 8 * 1024 * 1024  # thousands of services; a catalogue file is kilobytes each
MAX_ENTITIES = 10_000
MAX_DEPTH = 32

TO_BACKSTAGE = {
    LifecycleStage.DISCOVERY: "experimental",
    LifecycleStage.ALPHA: "experimental",
    LifecycleStage.BETA: "experimental",
    LifecycleStage.LIVE: "production",
    LifecycleStage.RETIRED: "deprecated",
}
FROM_BACKSTAGE = {"experimental": LifecycleStage.ALPHA, "production": LifecycleStage.LIVE,
                  "deprecated": LifecycleStage.RETIRED}
_PLACEHOLDERS = ("$text", "$json", "$yaml")
# Backstage's rule for metadata.name (KubernetesValidatorFunctions): 1-63 characters,
# letters and digits separated by single - _ or . characters.
NAME_RULE = re.compile(r"\A[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\Z")
_ID_RULE = re.compile(r"\A[A-Za-z0-9_-]{1,64}\Z")


class BackstageError(OsomError):
    """Catalogue YAML we cannot read; one line naming the file, entity and field."""


# -- writing ---------------------------------------------------------------------------


def entity_name(text: str, taken: set[str] | None = None) -> str:
    """A Backstage ``metadata.name`` for a service name: ASCII letters, digits and
    hyphens, at most 63 characters, unique among ``taken`` (which it joins)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-") or "service"
    if taken is None:
        return slug
    name, n = slug, 1
    while name in taken:
        n += 1
        suffix = f"-{n}"
        name = slug[: 63 - len(suffix)].rstrip("-") + suffix
    taken.add(name)
    return name


def _one_line(text: str, limit: int = 500) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(slots=True)
class CatalogService:
    """One service to describe: its document, its file, and the services it depends on
    (ids of services in the same folder, or names of ones outside it)."""

    doc: ServiceDocument
    path: Path
    depends_on_ids: list[str] = field(default_factory=list)
    depends_on_names: list[str] = field(default_factory=list)


def catalog_entities(services: Sequence[CatalogService], *, folder: Path, pack_url: str | None = None) -> list[dict[str, Any]]:
    """One Backstage Component entity per service, in the order given."""
    taken: set[str] = set()
    names = {s.doc.service.id: entity_name(s.doc.service.name, taken) for s in services}
    entities = []
    for s in services:
        svc, contract = s.doc.service, s.doc.contract
        try:
            relative = s.path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            relative = s.path.name
        depends = [f"component:{names[i]}" for i in s.depends_on_ids if i in names]
        depends += [f"component:{entity_name(n)}" for n in s.depends_on_names]
        metadata: dict[str, Any] = {"name": names[svc.id], "title": _one_line(svc.name, 200)}
        if contract.purpose.strip():
            metadata["description"] = _one_line(contract.purpose)
        metadata.update({"annotations": _annotations_of(s.doc, relative),
                         "tags": ["osom", f"osom-{svc.lifecycle.value}"], "links": _links_of(s.path, relative, pack_url)})
        spec: dict[str, Any] = {
            "type": "service",
            "lifecycle": TO_BACKSTAGE[svc.lifecycle],
            "owner": f"user:{entity_name(svc.manager)}" if svc.manager.strip() else "unknown",
        }
        if depends:
            spec["dependsOn"] = sorted(set(depends))
        entities.append({"apiVersion": API_VERSION, "kind": "Component", "metadata": metadata, "spec": spec})
    return entities


def _annotations_of(doc: ServiceDocument, relative: str) -> dict[str, str]:
    svc, contract = doc.service, doc.contract
    annotations = {f"{ANNOTATION}service-id": svc.id, f"{ANNOTATION}lifecycle": svc.lifecycle.value,
                   f"{ANNOTATION}source-file": relative}
    if svc.manager:
        annotations[f"{ANNOTATION}manager"] = svc.manager
    if contract.evolution_stage is not None:
        annotations[f"{ANNOTATION}evolution-stage"] = contract.evolution_stage.value
    return annotations


def _links_of(path: Path, relative: str, pack_url: str | None) -> list[dict[str, str]]:
    links = []
    if pack_url:
        stem = quote(Path(relative).with_suffix("").as_posix())
        links.append({"url": f"{pack_url.rstrip('/')}/{stem}.html", "title": "Governance pack"})
    links.append({"url": path.resolve().as_uri(), "title": "Service file (OSOM)"})
    return links


def dump_catalog(entities: Iterable[dict[str, Any]]) -> str:
    """YAML documents separated by ``---``, keys in the order Backstage's docs use."""
    text: str = yaml.safe_dump_all(list(entities), sort_keys=False, allow_unicode=True, explicit_start=True, width=100)
    return text


# -- reading ---------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe loader that refuses aliases: ``*a`` repeated can make a few bytes into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's API
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # unannotated in PyYAML's stubs
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted", event.start_mark)
        return super().compose_node(parent, index)


def _depth(value: Any, limit: int, level: int = 0) -> bool:
    if level > limit:
        return False
    if isinstance(value, dict):
        return all(_depth(v, limit, level + 1) for v in value.values())
    if isinstance(value, list):
        return all(_depth(v, limit, level + 1) for v in value)
    return True


def load_entities(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(document number, entity mapping) for every YAML document in ``data``."""
    text = _yaml_text(data, filename)
    out: list[tuple[int, dict[str, Any]]] = []
    try:
        for number, value in enumerate(yaml.load_all(text, Loader=_Loader), start=1):  # noqa: S506 - _Loader is a SafeLoader
            if value is not None:
                _check_document(filename, number, value, len(out))
                out.append((number, value))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{filename}:{mark.line + 1}" if mark is not None else filename
        raise BackstageError(f"{where}: not YAML Backstage can read ({exc.problem or exc.context})") from None
    except yaml.YAMLError as exc:
        raise BackstageError(f"{filename}: not YAML ({' '.join(str(exc).split())})") from None
    except RecursionError:
        raise BackstageError(f"{filename}: nested too deep") from None
    return out


def _yaml_text(data: bytes, filename: str) -> str:
    if len(data) > MAX_YAML_BYTES:
        raise BackstageError(f"{filename}: too large ({len(data):,} bytes; the limit is {MAX_YAML_BYTES:,})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BackstageError(f"{filename}:{line}: not UTF-8 text") from None


def _check_document(filename: str, number: int, value: object, found: int) -> None:
    """One YAML document: a mapping, not nested too deep, within the entity limit."""
    if found >= MAX_ENTITIES:
        raise BackstageError(f"{filename}: more than {MAX_ENTITIES:,} entities; split the file")
    if not _depth(value, MAX_DEPTH):
        raise BackstageError(f"{filename}: document {number}: nested more than {MAX_DEPTH} deep")
    if not isinstance(value, dict):
        raise BackstageError(f"{filename}: document {number}: an entity is a mapping (apiVersion, kind, metadata, spec), "
                             f"not a {type(value).__name__}")


@dataclass(slots=True)
class ImportedService:
    entity_name: str
    doc: ServiceDocument
    notes: list[str] = field(default_factory=list)


class _Entity:
    def __init__(self, filename: str, number: int, value: dict[str, Any]) -> None:
        self.filename, self.number, self.value = filename, number, value
        meta = value.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        self.label = f"entity {name!r}" if isinstance(name, str) else f"document {number}"

    def fail(self, field_path: str, problem: str) -> BackstageError:
        return BackstageError(f"{self.filename}: {self.label}: {field_path}: {problem}")

    def get(self, field_path: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
        node = self._at(field_path)
        if node is None:
            if required:
                raise self.fail(field_path, "missing")
            return None
        key = _placeholder(node)
        if key is not None:
            raise self.fail(field_path, f"a {key} placeholder; osom never reads the file or URL it points at, "
                                        "so give the value itself")
        if not isinstance(node, kind) or isinstance(node, bool) and kind is not bool:
            names: dict[type, str] = {str: "text", list: "a list", dict: "a mapping"}
            want = names.get(kind if isinstance(kind, type) else str, "text")
            raise self.fail(field_path, f"expected {want}, got {_kind_of(node)}")
        return node

    def _at(self, field_path: str) -> Any:  # noqa: ANN401 - whatever the YAML holds
        node: Any = self.value
        for part in field_path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def text(self, field_path: str, required: bool = False, limit: int = 10_000) -> str | None:
        value: str | None = self.get(field_path, str, required)
        if value is not None and len(value) > limit:
            raise self.fail(field_path, f"longer than {limit:,} characters")
        return value


def _placeholder(node: object) -> str | None:
    """The ``$text``/``$json``/... key of a placeholder mapping, else None."""
    if not isinstance(node, dict):
        return None
    return next((k for k in _PLACEHOLDERS if k in node), None)


def _kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _ref_name(ref: str) -> str:
    """``component:default/payments`` -> ``payments``."""
    return ref.split(":", 1)[-1].rsplit("/", 1)[-1]


def read_catalog(data: bytes, filename: str) -> tuple[list[ImportedService], list[str]]:
    """Service documents for the Component entities in ``data``, and notes on what was
    skipped (other kinds). Raises BackstageError on the first entity that is wrong."""
    entities = [_Entity(filename, n, v) for n, v in load_entities(data, filename)]
    skipped: list[str] = []
    components = []
    for e in entities:
        kind = e.text("kind", required=True)
        e.text("apiVersion", required=True)
        if kind != "Component":
            skipped.append(f"{filename}: {e.label}: kind {kind!r} is not a service (Component); skipped")
            continue
        components.append(e)
    by_name: dict[str, _Entity] = {}
    for e in components:
        name = e.text("metadata.name", required=True, limit=253)
        assert name is not None
        if name in by_name:
            raise e.fail("metadata.name", f"{name!r} is used by two entities")
        by_name[name] = e
    ids = _service_ids(by_name)
    return [_service(e, name, by_name, ids) for name, e in by_name.items()], skipped


def _service_ids(by_name: dict[str, _Entity]) -> dict[str, str]:
    """Entity name -> the service id its annotation gives, checked and unique."""
    ids: dict[str, str] = {}
    for name, e in by_name.items():
        sid = _annotation(e, "service-id")
        if sid is None:
            continue
        if not _ID_RULE.match(sid):
            raise e.fail(f"metadata.annotations.{ANNOTATION}service-id", f"{sid[:40]!r} is not an id (letters, digits, - and _)")
        if sid in ids.values():
            raise e.fail(f"metadata.annotations.{ANNOTATION}service-id", f"{sid!r} is also another entity's")
        ids[name] = sid
    return ids


def _annotation(e: _Entity, key: str) -> str | None:
    annotations = e.get("metadata.annotations", dict)
    if annotations is None:
        return None
    value = annotations.get(ANNOTATION + key)
    if value is None:
        return None
    if _placeholder(value) is not None:
        raise e.fail(f"metadata.annotations.{ANNOTATION}{key}", "a placeholder; osom never resolves them")
    if not isinstance(value, str):
        raise e.fail(f"metadata.annotations.{ANNOTATION}{key}", f"expected text, got {_kind_of(value)}")
    if len(value) > 10_000:
        raise e.fail(f"metadata.annotations.{ANNOTATION}{key}", "longer than 10,000 characters")
    return value


def _service(e: _Entity, name: str, by_name: dict[str, _Entity], ids: dict[str, str]) -> ImportedService:
    notes: list[str] = []
    doc = ServiceDocument()
    if name in ids:
        doc.service.id = ids[name]
    title = e.text("metadata.title", limit=500)
    doc.service.name = (title or name).strip() or name
    manager = _annotation(e, "manager")
    owner = e.text("spec.owner", limit=500)
    doc.service.manager = manager if manager is not None else (_ref_name(owner) if owner and owner != "unknown" else "")
    _read_lifecycle(e, doc, notes)
    stage = _annotation(e, "evolution-stage")
    if stage is not None:
        doc.contract.evolution_stage = _evolution_stage(e, stage)
    doc.contract.purpose = e.text("metadata.description") or ""
    _read_depends_on(e, doc, by_name, ids, notes)
    return ImportedService(name, doc, notes)


def _evolution_stage(e: _Entity, stage: str) -> EvolutionStage:
    try:
        return EvolutionStage(stage)
    except ValueError:
        raise e.fail(f"metadata.annotations.{ANNOTATION}evolution-stage",
                     f"{stage[:40]!r} is not one of {', '.join(s.value for s in EvolutionStage)}") from None


def _read_lifecycle(e: _Entity, doc: ServiceDocument, notes: list[str]) -> None:
    """Our exact stage from its annotation, else Backstage's lifecycle mapped to one."""
    exact = _annotation(e, "lifecycle")
    bs_lifecycle = e.text("spec.lifecycle", limit=100)
    if exact is not None:
        try:
            doc.service.lifecycle = LifecycleStage(exact)
        except ValueError:
            raise e.fail(f"metadata.annotations.{ANNOTATION}lifecycle",
                         f"{exact[:40]!r} is not one of {', '.join(s.value for s in LifecycleStage)}") from None
    elif bs_lifecycle in FROM_BACKSTAGE:
        doc.service.lifecycle = FROM_BACKSTAGE[bs_lifecycle]
    else:
        notes.append(f"{e.filename}: {e.label}: spec.lifecycle {bs_lifecycle!r} has no OSOM stage; set to discovery")


def _read_depends_on(
    e: _Entity, doc: ServiceDocument, by_name: dict[str, _Entity], ids: dict[str, str], notes: list[str]
) -> None:
    """spec.dependsOn as contract dependencies: by id and title when the other entity is
    in the same file, else by name."""
    depends = e.get("spec.dependsOn", list) or []
    for i, ref in enumerate(depends):
        if not isinstance(ref, str) or not ref.strip():
            raise e.fail(f"spec.dependsOn[{i}]", f"expected an entity reference (text), got {_kind_of(ref)}")
        kind = ref.split(":", 1)[0].lower() if ":" in ref else "component"
        if kind not in ("component", "resource"):
            notes.append(f"{e.filename}: {e.label}: spec.dependsOn[{i}] {ref!r} is not a component; kept by name")
        target = _ref_name(ref)
        other = by_name.get(target)
        if other is not None:
            other_title = other.text("metadata.title", limit=500)
            doc.contract.dependencies.append(Dependency(service_name=(other_title or target).strip() or target,
                                                        service_id=ids.get(target)))
        else:
            doc.contract.dependencies.append(Dependency(service_name=target))


def file_name_for(entity: str) -> str:
    """The service file an entity becomes: its Backstage name (already a safe file name)."""
    if not NAME_RULE.match(entity):
        entity = entity_name(entity)
    return f"{entity}.osom"
