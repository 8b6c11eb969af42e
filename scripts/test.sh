#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite, plus the layering check
# that keeps Qt out of the headless core, lint (ruff) and type checks (mypy, strict on
# the headless core; both configured in pyproject.toml). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== layering (import-linter)"
.venv/bin/lint-imports
echo "== lint (ruff)"
.venv/bin/ruff check . ||
  { echo "test.sh: ruff found the problems above (fix them; .venv/bin/ruff check --fix FILE fixes the marked [*] ones)" >&2; exit 1; }
echo "== types (mypy)"
.venv/bin/mypy ||
  { echo "test.sh: mypy found the type errors above (settings in pyproject.toml, [tool.mypy])" >&2; exit 1; }
echo "== the wheel, installed and used outside the source tree"
bash scripts/check_wheel.sh
echo "== tests"
exec .venv/bin/python -m pytest -n 2 "$@"
