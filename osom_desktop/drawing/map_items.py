"""The graphics items that draw a Wardley map: kept so ``drawing.map_items`` imports go
on working; the items live in ``drawing.items``, one module per family of elements."""

from osom_desktop.drawing.items import *  # noqa: F403
from osom_desktop.drawing.items import __all__  # noqa: F401
