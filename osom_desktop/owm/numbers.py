"""Numbers in OWM text: read strictly, write the shortest text that reads back exactly."""

from __future__ import annotations


def read_number(text: str) -> float:
    """A finite float, or ValueError.

    ``float`` alone would accept ``nan``/``inf`` (NaN never equals itself, so a map
    holding one could not round-trip) and ``1_0`` (OWM's parseFloat reads it as 1).
    """
    value = float(text)
    if value - value != 0.0 or "_" in text:
        raise ValueError(text)
    return value


def write_number(value: float) -> str:
    """Shortest exact text: ``repr`` is the shortest string that round-trips a float;
    a trailing ``.0`` goes (``-13.0`` -> ``-13``) as OWM's parseFloat reads both."""
    text = repr(float(value))
    if text.endswith(".0"):
        return text[:-2]
    return text


def write_maturity(value: float) -> str:
    """An evolve target keeps its decimal point: OWM finds it with the regex
    ``\\s[0-9]?\\.[0-9]+`` and falls back to 0.85 when there is none."""
    return repr(float(value))
