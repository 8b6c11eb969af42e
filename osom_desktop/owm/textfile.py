"""Reading a map's text from disk: untrusted bytes in, one clear error or text out."""

from __future__ import annotations

from pathlib import Path

from osom_desktop.model.errors import OsomError

# Far larger than any hand-drawn map (16,000 components is ~1.5 MB); stops a stray
# multi-gigabyte file from being read into memory.
MAX_TEXT_BYTES = 64 * 1024 * 1024


class TextFileError(OsomError):
    pass


def read_text_file(path: str | Path) -> str:
    """The file's text (UTF-8, or UTF-16 with a BOM; a BOM dropped), or TextFileError
    naming the file."""
    p = Path(path)
    return _decode(p, _read_bytes(p))


def _read_bytes(p: Path) -> bytes:
    try:
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise TextFileError(f"{p}: too large for a map ({size:,} bytes; the limit is {MAX_TEXT_BYTES:,})")
        data = p.read_bytes()
    except IsADirectoryError:
        raise TextFileError(f"{p}: is a folder, not a map file") from None
    except FileNotFoundError:
        raise TextFileError(f"{p}: no such file") from None
    except PermissionError:
        raise TextFileError(f"{p}: permission denied") from None
    except OSError as exc:
        raise TextFileError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return data


def _decode(p: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte order mark (Windows editors save maps so): its zero
        # bytes are text, not binary.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TextFileError(f"{p}: not UTF-16 text (bad bytes at offset {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise TextFileError(f"{p}: not a text file (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TextFileError(f"{p}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
