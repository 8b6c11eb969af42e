"""The Document's change signal: every subscriber hears every change, whatever the
others do; a failing one is logged and reported, never raised into the edit."""

from __future__ import annotations

import gc
import logging

import pytest

from osom_desktop.model import Change, Component, Document
from osom_desktop.model.signals import IsolatedSignal, SubscriberFailure


class Panel:
    def __init__(self) -> None:
        self.seen: list[object] = []

    def on_changed(self, value: object) -> None:
        self.seen.append(value)


def test_a_failing_subscriber_is_logged_reported_and_the_next_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    doc = Document()
    first, last = Panel(), Panel()
    failures: list[SubscriberFailure] = []
    doc.changed.connect(first.on_changed)

    def broken(_change: Change) -> None:
        raise RuntimeError("stale index")

    doc.changed.connect(broken)
    doc.changed.connect(last.on_changed)
    doc.subscriber_failed.connect(failures.append)
    with caplog.at_level(logging.ERROR, logger="osom_desktop.model.signals"):
        doc.add_element(Component(id="k", name="Kettle", visibility=0.5, evolution=0.5))  # does not raise
    assert doc.map.component("k") is not None
    assert first.seen == last.seen == [Change("components", ("k",))]
    assert [type(f.error) for f in failures] == [RuntimeError]
    assert "broken" in failures[0].subscriber and failures[0].value == Change("components", ("k",))
    [record] = caplog.records
    assert record.exc_info is not None and "stale index" in record.getMessage()


def test_a_failing_failure_handler_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    signal = IsolatedSignal("test")
    signal.connect(lambda _v: 1 / 0)

    def bad_handler(_failure: SubscriberFailure) -> None:
        raise ValueError("handler bug")

    signal.connect_failure(bad_handler)
    with caplog.at_level(logging.ERROR, logger="osom_desktop.model.signals"):
        signal.emit(1)
    assert len(caplog.records) == 2


def test_a_panel_that_is_gone_is_not_called_and_disconnect_works() -> None:
    signal = IsolatedSignal()
    gone, kept = Panel(), Panel()
    signal.connect(gone.on_changed)
    signal.connect(kept.on_changed)
    signal.connect(kept.on_changed)  # once only
    del gone
    gc.collect()
    signal.emit("a")
    assert kept.seen == ["a"] and len(signal) == 1
    signal.disconnect(kept.on_changed)
    signal.disconnect(kept.on_changed)  # not connected: ignored, as psygnal does
    signal.emit("b")
    assert kept.seen == ["a"]


def test_a_subscriber_may_disconnect_itself_while_being_called() -> None:
    signal = IsolatedSignal()
    calls: list[str] = []

    def once(_v: object) -> None:
        calls.append("once")
        signal.disconnect(once)

    signal.connect(once)
    signal.connect(lambda _v: calls.append("other"))
    signal.emit(1)
    signal.emit(2)
    assert calls == ["once", "other", "other"]
