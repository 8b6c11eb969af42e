"""Install OSOM Desktop into a Linux desktop (freedesktop.org conventions), with no Qt.

``osom-desktop --install-desktop-entry`` writes, for the current user only:
- an application entry (``applications/osom-desktop.desktop``) so the app is in the menu;
- a MIME type ``application/x-osom-service`` for ``*.osom`` (``mime/packages/osom-desktop.xml``),
  recognised by name and by the SQLite header, so a service file saved from an email opens
  with a double-click;
- the icon, under ``icons/hicolor/scalable/{apps,mimetypes}``.
Then it refreshes the desktop's caches with ``update-mime-database`` and
``update-desktop-database`` where those tools exist (they are optional: the files alone work
after the next log-in). Every file goes through the same atomic writer as a save.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from osom_desktop.paths import ICONS
from osom_desktop.storage.atomic import atomic_write_bytes

APP_ID = "osom-desktop"
MIME_TYPE = "application/x-osom-service"
ICON_NAME = "osom-desktop"
MIME_ICON_NAME = "application-x-osom-service"


def data_home() -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share``, as the XDG base directory spec says."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launcher_command() -> str:
    """How the desktop should start us: the installed ``osom-desktop`` script when there is
    one beside this Python (pipx, a venv), else this Python running the package."""
    script = Path(sys.executable).with_name("osom-desktop")
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m osom_desktop"


def desktop_file_text(command: str) -> str:
    # %F: the desktop passes every selected file (or folder) as its own argument.
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=OSOM Desktop",
        "GenericName=Service map and contract editor",
        "Comment=Wardley maps, service contracts and governance packs for OSOM services",
        f"Exec={command} %F",
        f"Icon={ICON_NAME}",
        "Terminal=false",
        "Categories=Office;ProjectManagement;",
        f"MimeType={MIME_TYPE};",
        "Keywords=Wardley;map;OSOM;service;contract;governance;",
        "StartupWMClass=osom-desktop",
        "",
    ])


MIME_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>OSOM service file</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="{MIME_ICON_NAME}"/>
    <glob pattern="*.osom" weight="80"/>
  </mime-type>
</mime-info>
"""


@dataclass
class InstallReport:
    written: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"wrote {p}" for p in self.written]
        out += [f"refreshed with {tool}" for tool in self.refreshed]
        out += [f"{tool} not found: the desktop picks the files up at the next log-in" for tool in self.skipped]
        return out


def install_desktop_entry(base: Path | None = None, command: str | None = None) -> InstallReport:
    """Write the entry, MIME type and icons under ``base`` (default: the XDG data home)."""
    base = base or data_home()
    icon = (ICONS / f"{ICON_NAME}.svg").read_bytes()
    files = {
        base / "applications" / f"{APP_ID}.desktop": desktop_file_text(command or launcher_command()).encode(),
        base / "mime" / "packages" / f"{APP_ID}.xml": MIME_XML.encode(),
        base / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg": icon,
        base / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_ICON_NAME}.svg": icon,
    }
    report = InstallReport()
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        report.written.append(path)
    for tool, target in (("update-mime-database", base / "mime"), ("update-desktop-database", base / "applications")):
        if shutil.which(tool) is None:
            report.skipped.append(tool)
            continue
        subprocess.run([tool, str(target)], check=False, capture_output=True, timeout=60)
        report.refreshed.append(tool)
    return report


def uninstall_desktop_entry(base: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; returns the files removed."""
    base = base or data_home()
    removed = []
    for path in (
        base / "applications" / f"{APP_ID}.desktop",
        base / "mime" / "packages" / f"{APP_ID}.xml",
        base / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg",
        base / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_ICON_NAME}.svg",
    ):
        if path.exists():
            path.unlink()
            removed.append(path)
    if shutil.which("update-mime-database") and (base / "mime").is_dir():
        subprocess.run(["update-mime-database", str(base / "mime")], check=False, capture_output=True, timeout=60)
    return removed
