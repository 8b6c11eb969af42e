"""A change signal whose subscribers cannot break the edit that emits it.

The Document emits ``changed`` inside each edit. With a plain signal (psygnal re-raises
a subscriber's exception as EmitLoopError) a bug in any panel aborted the edit half
way: the model had changed but the undo command never reached the stack, so the edit
could not be undone, and the panels after the failing one never heard of it. Here, as
in napari's EventEmitter, each subscriber runs on its own: an exception is logged with
its traceback (stderr, through ``logging``), reported on ``subscriber_failed`` (the
window shows it), and the next subscriber still runs. The edit always lands.

Bound methods are held weakly, so a panel that is gone stops being called without
having to disconnect; other callables are held strongly, as psygnal does.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SubscriberFailure:
    """A subscriber raised: which one, on what value, and the error."""

    subscriber: str  # e.g. "InspectorWidget._on_document_changed"
    value: Any
    error: BaseException

    def __str__(self) -> str:
        return f"{self.subscriber} failed on {self.value!r}: {type(self.error).__name__}: {self.error}"


def _describe(slot: Callable[..., Any]) -> str:
    owner = getattr(slot, "__self__", None)
    name = getattr(slot, "__qualname__", None) or getattr(slot, "__name__", None) or repr(slot)
    if owner is not None and "." not in name:
        name = f"{type(owner).__name__}.{name}"
    return name


class _Slot:
    """One subscriber: a weak reference to a bound method, or the callable itself."""

    __slots__ = ("_ref", "_strong")

    def __init__(self, slot: Callable[..., Any]) -> None:
        self._ref: weakref.WeakMethod[Callable[..., Any]] | None = None
        self._strong: Callable[..., Any] | None = None
        if hasattr(slot, "__self__") and hasattr(slot, "__func__"):
            try:
                self._ref = weakref.WeakMethod(slot)
                return
            except TypeError:  # the owner cannot be weakly referenced (a list's append)
                pass
        self._strong = slot

    def get(self) -> Callable[..., Any] | None:
        return self._ref() if self._ref is not None else self._strong


class IsolatedSignal:
    """``connect``/``disconnect``/``emit`` with one value; a failing subscriber is
    logged and reported, never raised into the emitter."""

    def __init__(self, name: str = "signal") -> None:
        self.name = name
        self._slots: list[_Slot] = []
        # Failures are reported through a plain list of callbacks, not another
        # IsolatedSignal: a failing failure handler is only logged.
        self._failure_handlers: list[_Slot] = []

    def connect(self, slot: Callable[..., Any]) -> Callable[..., Any]:
        if not any(s.get() == slot for s in self._slots):
            self._slots.append(_Slot(slot))
        return slot

    def disconnect(self, slot: Callable[..., Any] | None = None) -> None:
        """Stop calling ``slot`` (all subscribers when None); unknown slots are ignored."""
        if slot is None:
            self._slots.clear()
        else:
            self._slots = [s for s in self._slots if s.get() is not None and s.get() != slot]

    def connect_failure(self, handler: Callable[[SubscriberFailure], Any]) -> None:
        self._failure_handlers.append(_Slot(handler))

    def disconnect_failure(self, handler: Callable[[SubscriberFailure], Any]) -> None:
        self._failure_handlers = [s for s in self._failure_handlers if s.get() not in (None, handler)]

    def __len__(self) -> int:
        return sum(1 for s in self._slots if s.get() is not None)

    def emit(self, value: Any) -> None:
        # A copy: a subscriber may connect or disconnect while we go round.
        for entry in list(self._slots):
            slot = entry.get()
            if slot is None:
                self._slots = [s for s in self._slots if s is not entry]
                continue
            try:
                slot(value)
            except Exception as exc:  # noqa: BLE001 - the point: isolate every subscriber
                self._report(SubscriberFailure(_describe(slot), value, exc))

    def _report(self, failure: SubscriberFailure) -> None:
        logger.error("%s: subscriber %s", self.name, failure, exc_info=failure.error)
        for entry in list(self._failure_handlers):
            handler = entry.get()
            if handler is None:
                continue
            try:
                handler(failure)
            except Exception:  # noqa: BLE001
                logger.exception("%s: the handler of a failed subscriber failed too", self.name)
