"""One name for one service: the map's OWM title follows the service's name, unless
the person gave the map a title of its own."""

from __future__ import annotations

from osom_desktop.model.document import Document
from osom_desktop.model.service import ServiceDocument
from osom_desktop.operations.contract import rename_service


def _doc(name: str, title: str | None) -> Document:
    data = ServiceDocument()
    data.service.name = name
    data.service.lifecycle = "beta"
    data.map.title = title
    return Document(data)


def test_a_title_after_the_service_follows_its_rename_in_one_undo_step() -> None:
    doc = _doc("Tea Shop", "Tea Shop")
    plan = rename_service(doc, "Tea Rooms")
    plan.apply()
    assert (doc.data.service.name, doc.map.title) == ("Tea Rooms", "Tea Rooms")
    plan.revert()
    assert (doc.data.service.name, doc.map.title) == ("Tea Shop", "Tea Shop")


def test_an_untitled_map_takes_the_new_name() -> None:
    doc = _doc("Tea Shop", None)
    rename_service(doc, "Tea Rooms").apply()
    assert doc.map.title == "Tea Rooms"


def test_a_title_set_apart_on_purpose_is_kept() -> None:
    doc = _doc("Tea Shop", "Tea Shop: the map for the 2027 review")
    rename_service(doc, "Tea Rooms").apply()
    assert doc.map.title == "Tea Shop: the map for the 2027 review"
