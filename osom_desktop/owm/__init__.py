"""OWM (OnlineWardleyMaps) text <-> ``WardleyMap``. Headless: no Qt here, ever."""

from osom_desktop.owm.parser import parse_owm
from osom_desktop.owm.result import Diagnostic, ParseResult
from osom_desktop.owm.writer import write_owm

__all__ = ["Diagnostic", "ParseResult", "parse_owm", "write_owm"]
