"""Loading a folder of service files off the GUI thread, with progress and cancel."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import queue
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from osom_desktop.analysis.directory import SERVICE_SUFFIX
from osom_desktop.analysis.findings import Finding
from osom_desktop.analysis.network import (
    LoadCancelled,
    Network,
    NetworkAnswers,
    answer,
    load_network,
)
from osom_desktop.analysis.network_cache import DocumentCache
from osom_desktop.analysis.network_layout import NetworkLayout, network_layout, node_colour_key
from osom_desktop.analysis.network_reach import IndirectRisks, depends_on_all
from osom_desktop.views.network_filters import filter_options


@dataclass(slots=True)
class NetworkResult:
    """Everything the network window shows, computed in the background."""

    folder: Path
    network: Network
    rows: list[dict[str, Any]]
    findings: list[Finding]
    answers: NetworkAnswers  # every answer, computed once (table, findings, guidance, pack)
    layout: NetworkLayout  # the one drawing (analysis.network_layout), shared with the pack
    # node -> everything it depends on, transitively (the graph's upstream highlight):
    # 0.4 s for 2,000 services, so worked out here rather than on the GUI thread.
    depends: dict[str, frozenset[str]] | None = None
    # What the GUI thread only copies into widgets, worked out here too (at 2,000 services
    # each took 40-100 ms of the GUI thread): each node's colour key and tooltip, the
    # filters' choices, and the paths to watch.
    colours: dict[str, str] | None = None
    tips: dict[str, str] | None = None
    filter_choices: tuple[list[str], list[str], list[str]] | None = None
    watch: set[str] | None = None


def node_looks(net: Network, answers: NetworkAnswers) -> tuple[dict[str, str], dict[str, str]]:
    """Each node's colour key (the one palette) and tooltip on the graph."""
    broken = {r["node"] for r in answers.answers["external"] if r.get("unreadable")}
    colours = {n: node_colour_key(net, n, broken) for n in net.graph.nodes}
    tips = {}
    for n in net.graph.nodes:
        what = ("its file cannot be read" if n in broken else "no service file in this folder"
                if net.is_external(n)
                else f"{net.lifecycle(n)}; {len(answers.affected.get(n, ()))} affected if it fails")
        tips[n] = f"{net.name(n)}\n{what}"
    return colours, tips


def watched_paths(folder: Path) -> set[str]:
    """The folder, its subfolders (not hidden ones) and the service files now in it; the
    folder's parent when the folder is missing (it may yet appear)."""
    paths: set[str] = set()
    if folder.is_dir():
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            paths.add(root)
            paths.update(os.path.join(root, f) for f in files
                         if not f.startswith(".") and f.lower().endswith(SERVICE_SUFFIX))
    elif folder.parent.is_dir():
        paths.add(str(folder.parent))
    return paths


class NetworkLoader(QThread):
    """Runs ``load_network`` and the answers in a thread; ``cancel()`` stops it between files.

    Each file is read light (``storage.network_read``: only what the network uses, the
    same answers for a fifth of the time); with a ``DocumentCache`` only new or changed
    files are read.
    """

    progressed = Signal(int, int)  # files done, files in all
    loaded = Signal(object)  # NetworkResult
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, folder: Path, today: dt.date | None = None, parent=None,
                 cache: DocumentCache | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.today = today
        self.cache = cache  # only new or changed files are opened; one loader at a time may use it
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _progress(self, done: int, total: int) -> bool:
        if self._stop.is_set():
            return False
        self.progressed.emit(done, total)
        return True

    def run(self) -> None:
        with _gui_first():
            self._run()

    def _run(self) -> None:
        # The cyclic garbage collector is kept off while the folder is read and answered:
        # its full passes walk every object made so far holding the GIL, so as the
        # documents and the answers grew each pass froze the GUI longer (2,000 files:
        # passes of 1-2 s, 15 s in all, and 60 % of the answers' time). Nothing read or
        # answered here is garbage in a cycle worth waiting for. Once done, everything
        # is frozen (gc.freeze): later passes, on any thread, skip it; the window
        # unfreezes when it closes (``release_frozen``).
        collecting = gc.isenabled()
        gc.disable()
        try:
            net = load_network(self.folder, self._progress, self.cache, light=True)
            if self._stop.is_set():
                raise LoadCancelled(str(self.folder))
            today = self.today or dt.date.today()
            answered = answer(net, today)
            answered.groups  # noqa: B018 - grouped here, off the GUI thread (484,000 findings: 4 s)
            colours, tips = node_looks(net, answered)
            result = NetworkResult(self.folder, net, answered.rows, answered.findings, answered, network_layout(net),
                                   depends_on_all(net), colours, tips, filter_options(net, answered.groups),
                                   watched_paths(self.folder))
            if self._stop.is_set():
                raise LoadCancelled(str(self.folder))
        except LoadCancelled:
            self.cancelled.emit()
            return
        except Exception as exc:  # noqa: BLE001 - shown to the person, never a crash
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
        self.loaded.emit(result)


# While a folder is read and answered, the GUI thread is handed the GIL every 1 ms rather
# than Python's 5: a waiting thread gets it only at the holder's next switch, so with the
# loader busy each turn of the event loop waited up to a switch interval, twice (a refresh
# at 2,000 services: ticks 25 ms apart at the median, 64 ms at worst; with 1 ms, 11 and 37),
# for ~10% more time to the answer.
LOADING_SWITCH_INTERVAL = 0.001
_loading = 0
_loading_lock = threading.Lock()
_usual_interval = sys.getswitchinterval()


@contextlib.contextmanager
def _gui_first() -> Iterator[None]:
    global _loading, _usual_interval
    with _loading_lock:
        if _loading == 0:
            _usual_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_usual_interval, LOADING_SWITCH_INTERVAL))
        _loading += 1
    try:
        yield
    finally:
        with _loading_lock:
            _loading -= 1
            if _loading == 0:
                sys.setswitchinterval(_usual_interval)


SLICE = 200  # objects freed between two pauses of the discarding thread
_discarded: queue.SimpleQueue[object] = queue.SimpleQueue()
_discarder: threading.Thread | None = None


def _big(v: object) -> bool:
    """A list or dict worth taking apart a slice at a time: a long one, or a small dict
    holding a long one (a kind of finding and its items); and the indirect risks, whose
    groups each hold a part of a shortest-path tree (2,000 services: ~600,000 entries,
    freed at once they held the GUI thread ~60 ms on a refresh)."""
    if isinstance(v, IndirectRisks):
        return True
    if not isinstance(v, (list, dict)):
        return False
    if len(v) > 1000:
        return True
    return isinstance(v, dict) and any(isinstance(x, (list, dict)) and len(x) > 1000 for x in v.values())


def _dismantle_forever() -> None:
    while True:
        items = [_discarded.get()]
        while items:
            obj = items.pop()
            if isinstance(obj, IndirectRisks):
                items.append(obj.groups)  # a list: taken apart below, a slice at a time
                obj.groups = []
            elif isinstance(obj, NetworkResult):
                items += [obj.answers.pairs, obj.answers.rows, obj.answers.answers, obj.rows, obj.findings,
                          obj.answers._groups, obj.depends, obj.colours, obj.tips, obj.watch]
            elif isinstance(obj, dict):
                items += [v for v in obj.values() if _big(v)]
                while obj:
                    for _ in range(min(SLICE, len(obj))):
                        obj.popitem()
                    time.sleep(0.001)  # a real pause: the GUI thread takes the GIL meanwhile
            elif isinstance(obj, list):
                # A short list (the findings' kinds) may hold big ones: each taken apart too
                # (deleting the last kinds at once, 480,000 findings, held the GIL 220 ms).
                items += [v for v in obj if _big(v)] if len(obj) <= 1000 else \
                    [v for v in obj[:1] if isinstance(v, (list, dict))]
                while obj:
                    del obj[-SLICE:]
                    time.sleep(0.001)
        del obj, items


def discard(*old: object) -> None:
    """Let go of an old answer without holding the GUI thread: freeing 480,000 findings at
    once (one C-level cascade, holding the GIL) froze the window for a second on refresh.
    One background thread takes the big lists and dicts apart a small slice at a time
    (~2 ms each), pausing between slices; the GUI thread only queues them (starting a
    thread per answer made it wait for the thread to start, 400 ms while another ran).
    Only for objects nothing reads any more."""
    global _discarder
    for o in old:
        if o is not None:
            _discarded.put(o)
    if _discarder is None:
        _discarder = threading.Thread(target=_dismantle_forever, daemon=True, name="discard-old-answers")
        _discarder.start()


def release_frozen() -> None:
    """Hand what the loaders froze back to the garbage collector (the window is closing:
    an old answer's cycles, such as a networkx graph and its views, can then be freed)."""
    gc.unfreeze()
