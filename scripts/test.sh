#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite, plus the layering check
# that keeps Qt out of the headless core. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== layering (import-linter)"
.venv/bin/lint-imports
echo "== the wheel, installed and used outside the source tree"
bash scripts/check_wheel.sh
echo "== tests"
exec .venv/bin/python -m pytest -n 2 "$@"
