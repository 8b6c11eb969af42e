"""Documents for the operations' rules: plain Python, no Qt, no widgets."""

from __future__ import annotations

import pytest

from osom_desktop.model import Component, Document, LifecycleStage, ServiceDocument


def make_document(lifecycle: LifecycleStage = LifecycleStage.LIVE) -> Document:
    data = ServiceDocument()
    data.service.name = "Tea Shop"
    data.service.manager = "Ann"
    data.service.lifecycle = lifecycle
    doc = Document(data)
    doc.add_element(Component(id="cup", name="Cup of Tea", visibility=0.8, evolution=0.6))
    doc.add_element(Component(id="power", name="Power", visibility=0.1, evolution=0.8))
    return doc


@pytest.fixture
def live() -> Document:
    return make_document(LifecycleStage.LIVE)


@pytest.fixture
def beta() -> Document:
    return make_document(LifecycleStage.BETA)
