#!/usr/bin/env bash
# Sets up everything OSOM Desktop needs on a fresh machine, and is cheap to run again:
#   - on Debian/Ubuntu, the system libraries Qt needs (offscreen and under X) and the
#     tools our tests read exports with (poppler-utils), installed only when missing;
#   - a virtual environment in .venv with the project and its test extras.
# Usage: scripts/setup.sh            (app + tests)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# -- Debian packages ---------------------------------------------------------------
# Qt offscreen needs these on a bare machine (ENGINEERING.md, checked on Debian 12);
# a real window under Xvfb needs the X ones; fonts so text renders as text; graphviz lays
# out the network drawing and Pango lets WeasyPrint write the executive pack's PDF;
# HarfBuzz's subsetter embeds its fonts in milliseconds (fontTools took 0.4 s a document).
DEB_PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
  poppler-utils
  fonts-noto-color-emoji fonts-noto-cjk
  graphviz libpango-1.0-0 libpangoft2-1.0-0
  libharfbuzz-subset0
)
if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  say "not a Debian system: install Qt's system libraries yourself if Qt fails to start"
fi

# -- Python ------------------------------------------------------------------------
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY="$candidate"; break
    fi
  done
fi
[ -n "$PY" ] || { say "Python 3.11 or newer is needed"; exit 1; }

if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $PY"
  "$PY" -m venv .venv || {
    # Debian's python3 lacks ensurepip until python3-venv is installed.
    if command -v apt-get >/dev/null 2>&1; then
      SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
      $SUDO apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv; "$PY" -m venv .venv
    else
      exit 1
    fi
  }
fi

# Reinstall only when the dependency list changed (the stamp holds its hash).
stamp=.venv/.osom-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing osom-desktop and its dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' >&2 || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v '^WARNING: Location' >&2 || true
  .venv/bin/python -c 'import osom_desktop, PySide6, pydantic, networkx, sqlite_utils, pytest' ||
    { say "installation failed"; exit 1; }
  echo "$want" > "$stamp"
fi

# Compile the project's bytecode now, as pip does for an installed wheel: an editable
# install leaves it to the first import, and where PYTHONDONTWRITEBYTECODE is set (as on
# some CI machines) every `osom` process compiles ~40 modules again (~50 ms a process,
# issue 11's shell loop). Only files changed since the last run are compiled.
.venv/bin/python -m compileall -q -j 0 osom_desktop >/dev/null || say "could not compile bytecode (the app still runs, a little slower to start)"
