"""Differential test: every public map of the corpus read by us and by OnlineWardleyMaps'
own engine (npm ``wmlandscape``), element by element.

Each difference is either a bug of ours (the test fails) or listed, with the reason OWM is
the one that is wrong, in ``tests/fixtures/owm-corpus/KNOWN_DIFFERENCES.md``. A listed
difference that no longer occurs fails too, so the list cannot go stale.

OWM's readings come from the engine when node and npm are here (installed once into a
cache folder), else from the readings recorded with it (``owm-readings.json``); a second
test checks, when it can, that the recording still matches the engine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

import pytest

from osom_desktop.model.wardley import ComponentKind, WardleyMap
from osom_desktop.owm import parse_owm
from tests.owm.owm_engine import (
    CORPUS,
    EngineUnavailable,
    corpus_maps,
    engine_readings,
    recorded_readings,
)

KNOWN = CORPUS / "KNOWN_DIFFERENCES.md"
MAPS = corpus_maps()
# Where OWM draws what its line gives no position for: [visibility, maturity].
OWM_DEFAULT = (0.9, 0.1)
_KIND = {ComponentKind.COMPONENT: "component", ComponentKind.ANCHOR: "anchor", ComponentKind.SUBMAP: "submap"}


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def _occurrences(keys: list[tuple]) -> list[tuple]:
    """``(key, n)``: the n-th element with that key (names repeat)."""
    seen: Counter[tuple] = Counter()
    out = []
    for key in keys:
        out.append((*key, seen[key]))
        seen[key] += 1
    return out


# -- one side each: the elements a reader would see, keyed alike --------------------------


def _ours(m: WardleyMap) -> dict[str, dict[tuple, tuple]]:
    pipelines_by_id = {p.id: p for p in m.pipelines}
    tops = [c for c in m.components if c.pipeline_id not in pipelines_by_id]
    components = {}
    for key, c in zip(_occurrences([(c.name,) for c in tops]), tops, strict=True):
        vis, evo = (c.visibility, c.evolution) if c.visibility is not None else OWM_DEFAULT
        components[key] = (
            _KIND[c.kind], vis, evo, c.inertia, c.method and str(c.method), c.market, c.ecosystem,
        )
    names = {c.id: c for c in m.components}
    evolved = {}
    for key, c in zip(_occurrences([(c.name,) for c in m.components if c.evolve]), [c for c in m.components if c.evolve], strict=True):
        evolved[key] = (c.evolve.evolution,)  # type: ignore[union-attr]
    links = {}
    ends = []
    for lk in m.links:
        src, tgt = names[lk.source], names[lk.target]
        s = src.evolve.name if lk.source_evolved and src.evolve and src.evolve.name else src.name
        t = tgt.evolve.name if lk.target_evolved and tgt.evolve and tgt.evolve.name else tgt.name
        ends.append(((s, t), lk))
    for key, (_, lk) in zip(_occurrences([e for e, _ in ends]), ends, strict=True):
        links[key] = (lk.flow is not None,)
    pipelines = {}
    for key, p in zip(_occurrences([(names[p.component_id].name,) for p in m.pipelines]), m.pipelines, strict=True):
        kids = [c for c in m.components if c.pipeline_id == p.id]
        span = None if p.block or kids or p.start is None else (p.start, p.end)
        pipelines[key] = (span, tuple(sorted((c.name, c.evolution) for c in kids)))
    notes = {key: (n.visibility, n.evolution) for key, n in zip(_occurrences([(n.text,) for n in m.notes]), m.notes, strict=True)}
    accelerators = {
        key: (a.kind == "deaccelerator", a.visibility, a.evolution)
        for key, a in zip(_occurrences([(a.name,) for a in m.accelerators]), m.accelerators, strict=True)
    }
    annotations = {
        key: (tuple(a.points), a.text)
        for key, a in zip(_occurrences([(a.number,) for a in m.annotations]), m.annotations, strict=True)
    }
    settings = {
        ("title",): (m.title if m.title is not None else "Untitled Map",),
        ("evolution",): (tuple(m.evolution_labels) if m.evolution_labels else None,),
        ("size",): (m.size,),
    }
    return {
        "component": components, "evolve": evolved, "link": links, "pipeline": pipelines, "note": notes,
        "accelerator": accelerators, "annotation": annotations, "setting": settings,
    }


def _owm(r: dict) -> dict[str, dict[tuple, tuple]]:
    comps = r["components"]
    methods = {m["name"]: m["method"] for m in r.get("methods", [])}
    components = {}
    for key, c in zip(_occurrences([(c["name"],) for c in comps]), comps, strict=True):
        d = c["decorators"]
        method = next((m for m in ("build", "buy", "outsource") if d.get(m)), None) or methods.get(c["name"])
        components[key] = (c["type"], c["visibility"], c["maturity"], c["inertia"], method, bool(d.get("market")), bool(d.get("ecosystem")))
    evolving = [(c["name"], c["evolveMaturity"]) for c in comps if c["evolving"]]
    evolving += [(e["name"], e["maturity"]) for e in r["evolved"]]
    evolved = {key: (float(v),) for key, (_, v) in zip(_occurrences([(n,) for n, _ in evolving]), evolving, strict=True)}
    # OWM keeps every link line; it draws those whose both ends exist.
    drawable = {c["name"] for c in comps} | {e["name"] for e in r["evolved"]}
    evolved_names = {e["override"] for e in r["evolved"] if e.get("override")}
    drawable |= evolved_names
    shown = []
    for lk in r["links"]:
        if lk["start"] not in drawable or lk["end"] not in drawable:
            continue
        previous = shown[-1] if shown else None
        if (
            previous is not None and lk["flow"] and lk["flowValue"] is None and previous["flowValue"] is not None
            and (previous["start"], previous["end"]) == (lk["start"], lk["end"])
        ):
            continue  # OWM lists a labelled flow twice, the copy without its label: one line drawn
        shown.append(lk)
    links = {key: (lk["flow"],) for key, lk in zip(_occurrences([(lk["start"], lk["end"]) for lk in shown]), shown, strict=True)}
    pipelines = {}
    for key, p in zip(_occurrences([(p["name"],) for p in r["pipelines"]]), r["pipelines"], strict=True):
        kids = tuple(sorted((c["name"], c["maturity"]) for c in p["components"]))
        span = None if kids or p["hidden"] else (p["maturity1"], p["maturity2"])
        pipelines[key] = (span, kids)
    notes = {key: (n["visibility"], n["maturity"]) for key, n in zip(_occurrences([(n["text"],) for n in r["notes"]]), r["notes"], strict=True)}
    accelerators = {
        key: (a["deaccelerator"], a["visibility"], a["maturity"])
        for key, a in zip(_occurrences([(a["name"],) for a in r["accelerators"]]), r["accelerators"], strict=True)
    }
    annotations = {
        key: (tuple((o["visibility"], o["maturity"]) for o in a["occurances"]), a["text"])
        for key, a in zip(_occurrences([(a["number"],) for a in r["annotations"]]), r["annotations"], strict=True)
    }
    labels = tuple(e["line1"] for e in r["evolution"])
    size = r["presentation"].get("size") or {}
    settings = {
        ("title",): (r["title"],),
        ("evolution",): (None if labels == ("Genesis", "Custom-Built", "Product", "Commodity") else labels,),
        ("size",): ((size["width"], size["height"]) if size.get("width") or size.get("height") else None,),
    }
    return {
        "component": components, "evolve": evolved, "link": links, "pipeline": pipelines, "note": notes,
        "accelerator": accelerators, "annotation": annotations, "setting": settings,
    }


def _equal(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) or isinstance(y, float):
            if not (isinstance(x, (int, float)) and isinstance(y, (int, float)) and _same(float(x), float(y))):
                return False
        elif isinstance(x, tuple) and isinstance(y, tuple):
            if not _equal(x, y):
                return False
        elif x != y:
            return False
    return True


def differences(name: str, ours: WardleyMap, owm: dict) -> Iterator[str]:
    """One line per element read differently: ``file | kind | key | ours | OWM``."""
    a, b = _ours(ours), _owm(owm)
    for kind in a:
        for key in sorted(set(a[kind]) | set(b[kind]), key=repr):
            mine, theirs = a[kind].get(key), b[kind].get(key)
            if mine is None or theirs is None or not _equal(mine, theirs):
                yield f"{name} | {kind} | {key!r} | {mine!r} | {theirs!r}"


def _known() -> dict[str, str]:
    """``file | kind | key`` -> reason, from the table in KNOWN_DIFFERENCES.md."""
    known: dict[str, str] = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(".owm"):
            file, kind, key, reason = cells
            known[f"{file} | {kind} | {key.strip('`')}"] = reason
    return known


def _id(d: str) -> str:
    return " | ".join(d.split(" | ")[:3])


def _readings() -> tuple[dict[str, dict], str]:
    try:
        return engine_readings(MAPS), "OWM's engine"
    except EngineUnavailable as exc:
        return recorded_readings(), f"recorded readings ({exc})"


@pytest.fixture(scope="module")
def readings() -> tuple[dict[str, dict], str]:
    return _readings()


def test_corpus_has_sources_and_licences() -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for path in CORPUS.glob("*.owm"):
        assert path.name in sources, f"{path.name} has no line in SOURCES.md"


def test_every_element_reads_as_owm_reads_it(readings: tuple[dict[str, dict], str]) -> None:
    by_file, origin = readings
    known = _known()
    found: dict[str, str] = {}
    total = 0
    for path in MAPS:
        ours = parse_owm(path.read_text(encoding="utf-8"), path.name).map
        total += sum(len(v) for v in _owm(by_file[path.name]).values())
        for d in differences(path.name, ours, by_file[path.name]):
            found[_id(d)] = d
    unexplained = [d for key, d in sorted(found.items()) if key not in known]
    gone = sorted(set(known) - set(found))
    assert not unexplained, (
        f"read differently from OWM ({origin}), fix or list in {KNOWN.name}:\n" + "\n".join(unexplained)
    )
    assert not gone, f"listed in {KNOWN.name} but no longer different: remove them:\n" + "\n".join(gone)
    assert total > 300  # the corpus is not empty by accident


def test_recorded_readings_match_the_engine() -> None:
    try:
        live = engine_readings(MAPS)
    except EngineUnavailable as exc:
        pytest.skip(f"{exc}: compared with the recorded readings only")
    assert live == recorded_readings(), "re-record: python -m tests.owm.owm_engine"


def test_known_differences_name_real_files() -> None:
    names = {p.name for p in MAPS}
    for key in _known():
        assert key.split(" | ")[0] in names, key
        assert re.fullmatch(r"[^|]+ \| \w+ \| .+", key), key


def test_readings_are_per_file(readings: tuple[dict[str, dict], str]) -> None:
    by_file, _ = readings
    assert set(by_file) >= {p.name for p in MAPS}
    assert all("crash" not in r for r in by_file.values())
