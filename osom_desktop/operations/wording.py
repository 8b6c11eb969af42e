"""How OSOM's terms are written in text that is saved (a contract change's summary)
and shown (dialogs, notices). One table each, so the file and the screen agree."""

from __future__ import annotations

from osom_desktop.model.service import EvolutionStage, LifecycleStage, MeasureDirection

LIFECYCLE_LABELS = {
    LifecycleStage.DISCOVERY: "Discovery",
    LifecycleStage.ALPHA: "Alpha",
    LifecycleStage.BETA: "Beta",
    LifecycleStage.LIVE: "Live",
    LifecycleStage.RETIRED: "Retired",
}
EVOLUTION_LABELS = {
    EvolutionStage.GENESIS: "Genesis",
    EvolutionStage.CUSTOM: "Custom-built",
    EvolutionStage.PRODUCT: "Product (+rental)",
    EvolutionStage.COMMODITY: "Commodity (+utility)",
}
DIRECTION_LABELS = {
    MeasureDirection.HIGHER_IS_BETTER: "Higher is better",
    MeasureDirection.LOWER_IS_BETTER: "Lower is better",
    MeasureDirection.ON_TARGET: "On target",
}
# Contract text fields and how a change summary names them.
TEXT_FIELDS = {
    "purpose": "Purpose",
    "usage": "How the service is used",
    "expectations_success": "Expectations of success",
    "expectations_failure": "Expectations of failure",
    "help": "How to get help",
}
# Service fields a live service's contract names (who runs it, what it is called).
SERVICE_FIELDS = {"name": "Service name", "manager": "Service manager"}


def short(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for a summary."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:g}"
