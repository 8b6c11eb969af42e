#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and starts OSOM Desktop on the bundled sample service,
# or on the files/folder given as arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ $# -eq 0 ]; then
  set -- --sample
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "start: no display found; running under a virtual X screen (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/osom-desktop "$@"
fi
exec .venv/bin/osom-desktop "$@"
