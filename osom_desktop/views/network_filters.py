"""The network window's filters (lifecycle stage, kind of finding and manager) and its
search for a service by name.

Each is a list of what the shown answer holds, with "(all)" first; a filter dims what
it leaves out of the graph and hides it from the services table. After a reload each
filter keeps its choice when the new answer still offers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox

from osom_desktop.analysis.directory import natural_key, normalise_name
from osom_desktop.analysis.network import Network
from osom_desktop.model.service import LifecycleStage
from osom_desktop.views.network_table import one_line

ALL = "(all)"
NO_MANAGER = "(no manager)"
TIPS = ("Show services at this lifecycle stage", "Show services named by this kind of finding",
        "Show services with this manager")

Group = Mapping[str, Any]  # ``analysis.network.finding_groups``: title, items, service_ids


def make_filter_combos(changed: Callable[[int], None]) -> tuple[QComboBox, QComboBox, QComboBox]:
    """The lifecycle, finding and manager filters, each calling ``changed`` when chosen."""
    combos = (QComboBox(), QComboBox(), QComboBox())
    for combo, tip in zip(combos, TIPS, strict=True):
        combo.setToolTip(tip)
        # Long finding headings must not widen the window past a 1280-pixel screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)  # the three side by side fit an 800-pixel-wide window
        combo.currentIndexChanged.connect(changed)
    return combos


def manager_of(network: Network, service_id: str) -> str:
    return one_line(network.documents[service_id].service.manager) or NO_MANAGER


def lifecycle_order(stage: str) -> tuple[int, str]:
    """Where a stage comes in a service's life (discovery, alpha, beta, live, retired):
    alphabetically, "live" fell between "discovery" and "retired" and "alpha" led. A
    stage the model does not know goes last."""
    stages = [str(s) for s in LifecycleStage]
    return (stages.index(stage) if stage in stages else len(stages), stage)


def filter_options(network: Network, groups: Sequence[Group]) -> tuple[list[str], list[str], list[str]]:
    """What each filter offers (after "(all)"): lifecycle stages in lifecycle order, kinds
    of finding, managers."""
    services = network.services()
    return (
        sorted({str(network.lifecycle(s)) for s in services}, key=lifecycle_order),
        [g["title"] for g in groups],
        sorted({manager_of(network, s) for s in services}, key=natural_key),
    )


def refill_filters(combos: Iterable[QComboBox], options: Iterable[list[str]]) -> None:
    """New choices for each filter, keeping the one chosen when it is still offered; no
    filter signals while it is refilled (the caller applies the filters once after)."""
    for combo, opts in zip(combos, options, strict=True):
        old = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([ALL, *opts])
        combo.setCurrentIndex(max(0, combo.findText(old)))
        combo.blockSignals(False)


def _chosen(text: str) -> bool:
    return bool(text) and text != ALL


def _unfiltered(life: str, kind: str, manager: str) -> bool:
    """Every filter at "(all)", or none filled yet (no answer shown)."""
    return ALL == life == kind == manager or not (life or kind or manager)


def _at_stage(network: Network, life: str) -> set[str]:
    return {s for s in network.services() if str(network.lifecycle(s)) == life}


def _managed_by(network: Network, manager: str) -> set[str]:
    return {s for s in network.services() if manager_of(network, s) == manager}


def _named_by_kind(groups: Sequence[Group], kind: str) -> set[str]:
    named: set[str] = set()
    for g in groups:
        if g["title"] == kind:
            named.update(g["service_ids"])
    return named


def services_shown(network: Network, groups: Sequence[Group], life: str, kind: str, manager: str) -> set[str] | None:
    """The nodes the filters (their chosen texts) leave in view; None: no filter."""
    if _unfiltered(life, kind, manager):
        return None
    shown = set(network.graph.nodes)
    if _chosen(life):
        shown &= _at_stage(network, life)
    if _chosen(manager):
        shown &= _managed_by(network, manager)
    if _chosen(kind):
        shown &= _named_by_kind(groups, kind)
    return shown


def services_named_like(network: Network, text: str) -> list[str]:
    """The nodes whose names hold ``text`` (case and spacing aside): those whose names
    start with it first, each part in name order as a person counts (Service 2 before
    Service 10, as the Services table sorts), so Enter steps through the likeliest."""
    q = normalise_name(text)
    if not q:
        return []
    names = sorted(network.graph.nodes, key=lambda n: (natural_key(network.name(n)), n))
    starts = [n for n in names if normalise_name(network.name(n)).startswith(q)]
    return starts + [n for n in names if q in normalise_name(network.name(n)) and n not in starts]
