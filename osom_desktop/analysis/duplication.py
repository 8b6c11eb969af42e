"""Matching capability names across maps: "Payments", "payment" and "Payments " are one.

Two component names name the same capability when their keys (``capability_key``)
are equal, or near-identical: one typo apart (a character inserted, deleted, changed,
or two neighbours swapped), the same numbers in both, and a difflib ratio of at
least ``NEAR_RATIO``.

Why one typo and not "any pair with ratio >= 0.88": comparing every pair of names is
quadratic (a network of 2,000 maps holds ~100,000 components), while single-deletion
variants find the one-typo pairs in one pass; ratio 0.88 allows at most one or two
edits on the short names capabilities have anyway. Why the same numbers: "Tier 1
support" and "Tier 2 support" are different things, one character apart.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from difflib import SequenceMatcher

# difflib's ratio at or above which two keys one typo apart name one capability.
NEAR_RATIO = 0.88
# Keys shorter than this are matched exactly only: "api" and "apis" would be fine,
# but "ux" and "ui" are not one capability.
MIN_FUZZY_LENGTH = 5

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


@functools.lru_cache(maxsize=1 << 16)  # maps repeat their names: 98,000 components, far fewer names
def capability_key(name: str) -> str:
    """Case, whitespace, punctuation and a simple plural ``s`` do not matter.

    ``"Payments "``, ``"payment"`` and ``"Pay-ments"``... the last is "pay ment":
    punctuation separates words. A word loses one trailing ``s`` when longer than
    three letters and not ending in ``ss`` ("process", "gas" and "bus" stay).
    """
    words = _NON_WORD.sub(" ", name.casefold()).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def near_identical(a: str, b: str) -> bool:
    """Whether two keys (already one typo apart) name one capability."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH or _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_RATIO


def _by_variant(keys: Iterable[str]) -> dict[str, list[str]]:
    """Single-deletion variant -> the keys (long enough to compare) that have it, in the
    keys' order, for variants two or more keys share.

    Almost every variant belongs to one key (2,000 generated maps: ~740,000 variants):
    the first key of each is kept in a plain dict, and a list is made only for a variant
    a second key has, rather than a list for every variant (half the time)."""
    first: dict[str, str] = {}
    shared: dict[str, list[str]] = {}
    for k in keys:
        if len(k) >= MIN_FUZZY_LENGTH:
            variants = {k[:i] + k[i + 1:] for i in range(len(k))}  # a comprehension: a generator cost twice as much
            variants.add(k)
            for v in variants:
                if (had := first.setdefault(v, k)) is not k:
                    if (group := shared.get(v)) is None:
                        shared[v] = [had, k]
                    else:
                        group.append(k)
    return shared


def cluster_keys(keys: Sequence[str]) -> dict[str, str]:
    """Each key mapped to its cluster's representative (the smallest key in the cluster).

    Near-identical pairs are joined transitively (union-find); keys are compared
    only when they share a single-deletion variant, so this is linear in the keys.
    """
    if _last_clustered is not None and _last_clustered[0] == keys:
        return _last_clustered[1]  # a refresh after a save that renamed no component
    parent: dict[str, str] = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for group in _by_variant(parent).values():
        first = group[0]
        for other in group[1:]:
            ra, rb = find(first), find(other)
            if ra != rb and near_identical(first, other):
                parent[max(ra, rb)] = min(ra, rb)
            # Members share one variant, so each is at most two typos from ``first``;
            # comparing each with the first (not every pair) keeps a crowded variant
            # linear, and near_identical still decides.
    answer = {k: find(k) for k in parent}
    _remember(list(keys), answer)
    return answer


# The last keys clustered and their answer: the network window answers the whole folder
# again after every save, and most saves rename no component (2,000 generated maps: ~1 s).
_last_clustered: tuple[list[str], dict[str, str]] | None = None


def _remember(keys: list[str], answer: dict[str, str]) -> None:
    global _last_clustered
    _last_clustered = (keys, answer)


def clusters(items: Iterable[tuple[str, Hashable]]) -> dict[str, list[Hashable]]:
    """Group ``(name, item)`` pairs by capability; keyed by the representative key."""
    by_key: dict[str, list[Hashable]] = defaultdict(list)
    for name, item in items:
        key = capability_key(name)
        if key:
            by_key[key].append(item)
    rep = cluster_keys(sorted(by_key))
    out: dict[str, list[Hashable]] = defaultdict(list)
    for key, members in by_key.items():
        out[rep[key]].extend(members)
    return dict(out)
