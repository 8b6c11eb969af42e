"""An old answer is taken apart off the GUI thread a slice at a time (``network_loader.discard``).

Freeing the findings of 2,000 services at once held the interpreter (and with it the
window) 0.2-1 s. The kinds of finding are a short list of small dicts, each holding
tens of thousands of findings: every such list must be taken apart in slices, not only
the first kind's (the last seven kinds were freed in one go: a 220 ms tick on refresh).
"""

from __future__ import annotations

import time

from osom_desktop.views.network_loader import discard


def test_every_kinds_findings_are_taken_apart_in_slices() -> None:
    kinds = [{"title": f"Kind {k}", "items": [{"finding": object(), "ids": ["a"]} for _ in range(5000)]}
             for k in range(8)]
    lists = [k["items"] for k in kinds]  # held here: taken apart in place, they are emptied
    by_service = {f"svc-{i}": list(range(10)) for i in range(3000)}  # a long dict of small lists
    discard(kinds, by_service)
    del kinds
    end = time.monotonic() + 30
    while (any(lists) or by_service) and time.monotonic() < end:
        time.sleep(0.01)
    assert [len(x) for x in lists] == [0] * 8
    assert by_service == {}
