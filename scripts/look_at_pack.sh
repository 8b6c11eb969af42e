#!/usr/bin/env bash
# Make a governance pack of the sample service and take pictures of it as the executive
# sees it: the HTML in headless Chromium (network off), the PDF's pages via pdftoppm.
# Usage: scripts/look_at_pack.sh [OUT_DIR]   (default: /tmp/osom-pack-look)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-/tmp/osom-pack-look}"
PY="$HERE/.venv/bin/python"
mkdir -p "$OUT"
unset DISPLAY WAYLAND_DISPLAY || true

SAMPLE="$("$PY" -c 'from osom_desktop.samples import sample_file; print(sample_file())')"
"$PY" -m osom_desktop.cli pack "$SAMPLE" -o "$OUT/pack.html"
"$PY" -m osom_desktop.cli pack "$SAMPLE" -o "$OUT/pack.pdf"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }
  else
    echo "chromium is not installed (as root: apt-get install -y chromium); skipping the HTML screenshots" >&2
  fi
fi
if command -v chromium >/dev/null 2>&1; then
  for size in 1280,2000 1280,8000; do
    PROFILE="$(mktemp -d)"
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
      --disable-sync --no-first-run --user-data-dir="$PROFILE" --hide-scrollbars \
      --screenshot="$OUT/html-${size/,/x}.png" --window-size="$size" "file://$OUT/pack.html" 2>/dev/null || true
    rm -rf "$PROFILE"
  done
  PROFILE="$(mktemp -d)"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$PROFILE" --no-pdf-header-footer \
    --print-to-pdf="$OUT/html-printed.pdf" "file://$OUT/pack.html" 2>/dev/null || true
  rm -rf "$PROFILE"
  [ -f "$OUT/html-printed.pdf" ] && pdftoppm -png -r 40 "$OUT/html-printed.pdf" "$OUT/html-print"
fi
pdftoppm -png -r 60 "$OUT/pack.pdf" "$OUT/pdf-page"
ls -1 "$OUT"
