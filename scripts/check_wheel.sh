#!/usr/bin/env bash
# Builds the wheel and the sdist, installs the wheel into a fresh virtual environment and
# uses it there, from a folder outside the source tree, as someone who ran
# `pipx install osom_desktop-*.whl` would: the package data (templates, sample, guidance
# catalogue, icons) must come from the wheel, not from this checkout.
# Usage: scripts/check_wheel.sh   (after scripts/setup.sh; part of scripts/test.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d -t osom-wheel-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
say() { printf 'check_wheel: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

say "building wheel and sdist"
"$HERE/.venv/bin/python" -m build --wheel --sdist --outdir "$WORK/dist" "$HERE" >"$WORK/build.log" 2>&1 ||
  { tail -30 "$WORK/build.log" >&2; fail "python -m build"; }
WHEEL="$(ls "$WORK"/dist/osom_desktop-*.whl)"
SDIST="$(ls "$WORK"/dist/osom_desktop-*.tar.gz)"

# The wheel carries the package data under osom_desktop/ (and nothing at the top level).
"$HERE/.venv/bin/python" - "$WHEEL" <<'PY' || fail "wheel contents"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = [
    "osom_desktop/resources/pack/pack.html.j2",
    "osom_desktop/resources/pack/pack.css",
    "osom_desktop/resources/samples/notifications.owm",
    "osom_desktop/resources/samples/notifications.json",
    "osom_desktop/resources/guidance/example-catalogue.toml",
    "osom_desktop/resources/icons/osom-desktop.svg",
]
missing = [n for n in need if n not in names]
stray = sorted({n.split("/")[0] for n in names} - {"osom_desktop"} - {n.split("/")[0] for n in names if ".dist-info" in n})
if missing or stray:
    print(f"missing from wheel: {missing}; unexpected top-level entries: {stray}", file=sys.stderr)
    sys.exit(1)
print(f"check_wheel: wheel has {len(names)} files, package data included", file=sys.stderr)
PY
tar -tzf "$SDIST" >"$WORK/sdist.txt"; grep -q "osom_desktop/resources/pack/pack.html.j2" "$WORK/sdist.txt" || fail "sdist lacks the templates"
grep -q "tests/fixtures/owm/SOURCES.md" "$WORK/sdist.txt" || fail "sdist lacks the test fixtures"

say "installing the wheel into a fresh virtual environment"
"$HERE/.venv/bin/python" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check "$WHEEL" >"$WORK/pip.log" 2>&1 ||
  { tail -30 "$WORK/pip.log" >&2; fail "pip install of the wheel"; }

# Outside the source tree, with nothing of it on the path and no display.
mkdir -p "$WORK/user"
cd "$WORK/user"
cp "$HERE/tests/fixtures/owm/damonsk__onlinewardleymaps__ExampleMap_TeaShop.owm" teashop.owm
export OSOM_HOME="$WORK/home" QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY PYTHONPATH || true
BIN="$WORK/venv/bin"

"$BIN/osom" --version | grep "^osom " >/dev/null || fail "osom --version"
"$BIN/osom-desktop" --version | grep "^osom-desktop " >/dev/null || fail "osom-desktop --version"
"$BIN/python" -c 'import osom_desktop, sys; sys.exit("site-packages" not in osom_desktop.__file__)' ||
  fail "osom_desktop was not imported from the installed wheel"
"$BIN/osom" import teashop.owm -o teashop.osom 2>/dev/null || fail "osom import"
export XDG_RUNTIME_DIR="$WORK/run"  # where the check helper's socket goes (below)
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
"$BIN/osom" check teashop.osom >/dev/null || [ $? -eq 1 ] || fail "osom check"
# The check helper (osom_desktop/check_server.py) started by that check answers the next
# one from the installed copy, saying the same; then it is stopped, not left to idle out.
first=$("$BIN/osom" check teashop.osom 2>&1 || true)
for _ in $(seq 100); do ls "$XDG_RUNTIME_DIR"/osom/*.sock >/dev/null 2>&1 && break; sleep 0.2; done
ls "$XDG_RUNTIME_DIR"/osom/*.sock >/dev/null 2>&1 || fail "osom check started no check helper"
second=$("$BIN/osom" check teashop.osom 2>&1 || true)
pkill -f "$XDG_RUNTIME_DIR/osom/" || true
[ "$first" = "$second" ] || fail "the check helper said something else: $second"
"$BIN/osom" pack teashop.osom -o pack.html >/dev/null || fail "osom pack -o pack.html"
"$BIN/osom" pack teashop.osom -o pack.pdf >/dev/null || fail "osom pack -o pack.pdf"
grep -q 'Kettle' pack.html || fail "the HTML pack does not show the map's components"
pdftotext pack.pdf pack.txt && grep -q 'Kettle' pack.txt || fail "the PDF pack has no readable text"
# The app itself starts from the wheel on its bundled sample (offscreen) and keeps running
# until stopped: a missing resource would end it early with a traceback.
rc=0; timeout 10 "$BIN/osom-desktop" 2>desktop.err || rc=$?
[ "$rc" -eq 124 ] && ! grep -q Traceback desktop.err || { cat desktop.err >&2; fail "osom-desktop did not start (exit $rc)"; }
say "ok: osom and osom-desktop from the wheel import, check and pack (html, pdf)"
