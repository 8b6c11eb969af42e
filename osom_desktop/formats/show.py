"""``osom show``: the whole service document as stable, line-oriented text, for diffs.

One fact per line, ``path = value``, values as JSON (strings quoted, line breaks
escaped, so a fact never spans lines). Lists of things are keyed by what a person
recognises, not by position or random id: ``map.components["Kettle"].evolution =
0.35``, ``map.links["Business" -> "Cup of Tea"]``, ``contract.measures["Uptime"]``; and
sorted by that key, so moving a component in the file's order changes no line, and
moving it on the map changes exactly one. Defaults (empty texts, false flags, nothing)
are left out. The OWM layout order and revision fingerprints are left out too: they
change with every save and say nothing a reviewer reads.

Used by git as a textconv filter (README), so the same input must always give the
same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import TypeAdapter

from osom_desktop.model.service import ServiceDocument

_DOCUMENT = TypeAdapter(ServiceDocument)

# Left out everywhere: ordering of OWM text (not content) and per-save hashes.
_SKIP = {"layout", "fingerprint"}


# json.dumps escapes C0 controls but passes DEL, C1 (U+0080-U+009F: 8-bit CSI is one),
# bidi overrides and isolates through raw, and this output goes to terminals (git diff
# with the textconv filter). Written as JSON ``\uXXXX`` escapes they mean the same value and
# cannot move the cursor or reorder the line.
_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _json(v: Any, **kw: Any) -> str:
    text = json.dumps(v, ensure_ascii=False, **kw)
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _q(text: Any) -> str:
    return _json(text)


def _value(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return repr(v)  # 1.0 stays 1.0: a number keeps one spelling
    return _json(v, separators=(", ", ": "))


def _is_default(v: Any) -> bool:
    return v is None or v is False or v == "" or v == [] or v == {}


class _Keys:
    """Readable keys for list items, per list; names resolved through the map's ids."""

    def __init__(self, m: dict[str, Any]) -> None:
        self.names = {c["id"]: c["name"] for c in m.get("components", [])}
        self.pipeline_owner = {p["id"]: self.names.get(p["component_id"], p["component_id"])
                               for p in m.get("pipelines", [])}

    def component(self, c: dict[str, Any]) -> str:
        return _q(c["name"])

    def link(self, lk: dict[str, Any]) -> str:
        src = self.names.get(lk["source"], lk["source"]) + ("'" if lk.get("source_evolved") else "")
        tgt = self.names.get(lk["target"], lk["target"]) + ("'" if lk.get("target_evolved") else "")
        arrow = "->" if lk.get("flow") is None else {"forward": "+>", "backward": "+<", "both": "+<>"}[lk["flow"]]
        return f"{_q(src)} {arrow} {_q(tgt)}"

    def pipeline(self, p: dict[str, Any]) -> str:
        return _q(self.names.get(p["component_id"], p["component_id"]))


def _map_keys(m: dict[str, Any]) -> dict[str, Callable[[dict[str, Any]], str]]:
    k = _Keys(m)
    return {
        "components": k.component,
        "links": k.link,
        "pipelines": k.pipeline,
        "notes": lambda n: _q(n["text"]),
        "annotations": lambda a: str(a["number"]),
        "areas": lambda a: f"{a['kind']} {a['id']}",
        "accelerators": lambda a: _q(a["name"]),
        "urls": lambda u: _q(u["name"]),
        "raw_lines": lambda r: r["id"],
    }


_DOC_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "measures": lambda m: _q(m["name"]),
    "values": lambda v: v["date"],
    "dependencies": lambda d: _q(d["service_name"]),
    "decisions": lambda d: f"{_q(d['guidance']['id'])} v{d['guidance']['version']}",
    "assessments": lambda a: f"{a['date']} {a['kind']}",
    "contract_changes": lambda c: f"{c['date']} {c['id']}",
    "revisions": lambda r: str(r["number"]),
}


def _keyed(items: list[Any], key: Callable[[Any], str]) -> list[tuple[str, Any]]:
    """(key, item) sorted by key; a key two items share gets a #2, #3 … in list order."""
    raw = [key(it) if isinstance(it, dict) else _q(it) for it in items]
    counts: dict[str, int] = {}
    out: list[tuple[str, Any]] = []
    for k, it in zip(raw, items, strict=True):
        counts[k] = counts.get(k, 0) + 1
        out.append((k if counts[k] == 1 else f"{k}#{counts[k]}", it))
    return sorted(out, key=lambda pair: pair[0])


# The field a list's key already shows, so it is not repeated on a line of its own.
_KEY_FIELD = {"components": "name", "measures": "name", "values": "date", "dependencies": "service_name",
              "accelerators": "name", "urls": "name", "notes": "text", "annotations": "number"}


def _lines(path: str, value: Any, keys: dict[str, Callable[[Any], str]], key_field: str | None = None) -> Iterable[str]:
    if isinstance(value, dict):
        yield from _dict_lines(path, value, keys, key_field)
    elif isinstance(value, list):
        yield from _list_lines(path, value, keys)
    else:
        yield f"{path} = {_value(value)}"


def _dict_lines(path: str, value: dict[str, Any], keys: dict[str, Callable[[Any], str]], key_field: str | None) -> Iterable[str]:
    if "components" in value and "links" in value:  # a map (the live one or a snapshot)
        keys = {**keys, **_map_keys(value)}
    for name in value:
        if name in _SKIP or name == key_field or _is_default(value[name]):
            continue
        yield from _lines(f"{path}.{name}" if path else name, value[name], keys)


def _list_lines(path: str, value: list[Any], keys: dict[str, Callable[[Any], str]]) -> Iterable[str]:
    name = path.rsplit(".", 1)[-1]
    if name in keys or any(isinstance(v, dict) for v in value):
        for k, item in _keyed(value, keys.get(name, lambda it: str(value.index(it)))):
            yield from _lines(f"{path}[{k}]", item, keys, _KEY_FIELD.get(name))
    elif name in ("user_needs", "assessors", "evolution_labels"):
        for item in value:  # order means something here (stages), or is the person's
            yield f"{path}[] = {_value(item)}"
    else:
        yield f"{path} = {_value(value)}"  # a point, a pair of numbers


def show_text(doc: ServiceDocument) -> str:
    """The document, one fact per line, the same bytes for the same document."""
    data = json.loads(_DOCUMENT.dump_json(doc))
    head = [f"service.{k} = {_value(data['service'][k])}" for k in ("name", "id", "manager", "lifecycle")
            if not _is_default(data["service"].get(k))]
    rest = {k: v for k, v in data.items() if k != "service"}
    return "\n".join([*head, *_lines("", rest, dict(_DOC_KEYS))]) + "\n"
