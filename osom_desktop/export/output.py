"""Writing an export: drawn in memory, checked complete, then committed atomically.

Qt's writers (QPdfWriter, QSvgGenerator, QImage.save) report nothing when a write
fails: on a full disk ``osom pack -o x.pdf`` printed success over a truncated PDF,
SVG came out as 0 bytes and PNG half-written. So no Qt writer is ever given a file:
each draws into a QBuffer, and ``storage.atomic.atomic_write_bytes`` writes the bytes
beside the target, checks every write, fsyncs, reads them back and checks they are a
complete file of their kind (``check_pdf``, ``check_png``, ``check_svg``,
``check_html``), and only then replaces the target. What the checks cost:
``bench/bench_export_write.py``.

``ExportError`` is what any other failure of an export becomes: one line naming the
file, never a traceback and never silence.
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.parsers import expat

from osom_desktop.model.errors import OsomError
from osom_desktop.storage.atomic import atomic_write_bytes


class ExportError(OsomError):
    """An export could not be made; ``str()`` is one line naming the file."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = os.fspath(path)
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{os.path.basename(self.path) or self.path}: {self.problem}")


# -- checks: is this a complete file of its kind? ---------------------------------------

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def check_pdf(data: bytes) -> None:
    """A complete PDF: header, ``%%EOF`` at the end, and a cross-reference table
    whose every entry points at its object (a file cut short, or with a hole where a
    write failed, fails this)."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("the PDF is incomplete (no PDF header)")
    m = _STARTXREF.search(data[-1024:])
    if m is None:
        raise ValueError("the PDF is incomplete (it does not end with %%EOF)")
    xref = int(m.group(1))
    if not data.startswith(b"xref", xref):
        raise ValueError("the PDF is damaged (its cross-reference table is not where it says)")
    lines = data[xref:].split(b"\n", 2)
    try:
        first, count = (int(v) for v in lines[1].split())
    except (IndexError, ValueError):
        raise ValueError("the PDF is damaged (unreadable cross-reference table)") from None
    table = lines[2]
    for i in range(count):
        entry = _XREF_ENTRY.match(table, i * 20)
        if entry is None:
            raise ValueError("the PDF is damaged (short cross-reference table)")
        if entry.group(3) != b"n":
            continue
        offset = int(entry.group(1))
        if not data.startswith(f"{first + i} {int(entry.group(2))} obj".encode(), offset):
            raise ValueError(f"the PDF is damaged (object {first + i} is not where the table says)")


def check_png(data: bytes) -> None:
    """A complete PNG: signature, every chunk's CRC right, ending with IEND."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("the PNG is incomplete (no PNG signature)")
    pos, last = 8, b""
    view = memoryview(data)
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("the PNG is incomplete (cut off inside a chunk)")
        length, kind = struct.unpack(">I4s", view[pos : pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise ValueError("the PNG is incomplete (cut off inside a chunk)")
        (crc,) = struct.unpack(">I", view[end : end + 4])
        if zlib.crc32(view[pos + 4 : end]) != crc:
            raise ValueError("the PNG is damaged (a chunk's checksum is wrong)")
        pos, last = end + 4, kind
    if last != b"IEND":
        raise ValueError("the PNG is incomplete (no end chunk)")


def check_svg(data: bytes) -> None:
    """Well-formed XML whose root is <svg>. Parsed by expat without building a tree
    (ElementTree took 100-150 ms on a 1,000-component map)."""
    roots: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def first(name: str, attrs: object) -> None:
        roots.append(name)
        parser.StartElementHandler = None  # only the root matters; the rest at C speed

    parser.StartElementHandler = first
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ValueError(f"the SVG is not well-formed ({exc})") from None
    if not roots or roots[0].rsplit(" ", 1)[-1] != "svg":
        raise ValueError("not an SVG document")


def check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the text is not valid UTF-8") from None


def check_html(data: bytes) -> None:
    """UTF-8 HTML, whole: from ``<!DOCTYPE html>`` to ``</html>``. (The page is our
    template's; what can go wrong between it and the disk is being cut short. A full
    HTML parse cost 1.4 s on a 3 MB pack, more than making it.)"""
    check_utf8(data)
    head, tail = data[:64].lstrip().lower(), data[-64:].rstrip().lower()
    if not head.startswith(b"<!doctype html") or not tail.endswith(b"</html>"):
        raise ValueError("the HTML is incomplete (it does not run from <!DOCTYPE html> to </html>)")


CHECKS: dict[str, Callable[[bytes], None]] = {
    "pdf": check_pdf,
    "png": check_png,
    "svg": check_svg,
    "html": check_html,
    "text": check_utf8,
}


# -- writing ---------------------------------------------------------------------------


def write_export(
    path: str | os.PathLike[str], data: bytes | bytearray | memoryview, kind: str, *, replace_read_only: bool = False
) -> Path:
    """Write ``data`` atomically, checked to be a complete ``kind`` file as read back
    from the temp file before it replaces anything. Raises WriteError (naming the
    file) when it is not, or when the disk refuses it."""
    return atomic_write_bytes(path, data, replace_read_only=replace_read_only, check=CHECKS[kind])


def qt_buffer() -> Any:
    """An open, empty QBuffer for a Qt writer to draw into."""
    from PySide6.QtCore import QBuffer, QIODevice

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    return buf


def buffer_bytes(buf: Any) -> memoryview:
    """The bytes a Qt writer put in ``buf``, without copying them."""
    return memoryview(buf.data())
