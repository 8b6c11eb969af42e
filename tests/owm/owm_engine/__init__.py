"""OnlineWardleyMaps' own engine (npm ``wmlandscape``) as the reference reader.

``engine_readings`` runs ``read_owm.js`` under node over map files and returns what OWM
parsed, per file. The package is installed with npm, once, into a cache folder outside
the source tree; without node/npm (or offline) the caller falls back on the readings
recorded in ``tests/fixtures/owm-corpus/owm-readings.json`` (``record_readings`` writes
them: ``python -m tests.owm.owm_engine``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
SCRIPT = HERE / "read_owm.js"
# Pinned: a reading is only comparable with the engine it was recorded with.
PACKAGES = ("wmlandscape@3.0.1", "lodash.merge@4.6.2")
CORPUS = REPO / "tests" / "fixtures" / "owm-corpus"
FIXTURES = REPO / "tests" / "fixtures" / "owm"
RECORDED = CORPUS / "owm-readings.json"


class EngineUnavailable(Exception):
    """node or npm missing, or the package could not be installed (offline)."""


def corpus_maps() -> list[Path]:
    """Every public map we compare: the conformance corpus and the older fixtures."""
    return sorted(CORPUS.glob("*.owm")) + sorted(FIXTURES.glob("*.owm"))


def _cache_dir() -> Path:
    base = os.environ.get("OSOM_NPM_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "osom-tests" / ("owm-engine-" + "-".join(p.replace("@", "_") for p in PACKAGES))


def install_engine() -> Path:
    """The folder holding ``node_modules/wmlandscape``, installed on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise EngineUnavailable("node and npm are needed to run OWM's engine")
    target = _cache_dir()
    if (target / "node_modules" / "wmlandscape" / "package.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Installed beside, then renamed into place: two test workers may race here.
    staging = Path(tempfile.mkdtemp(prefix="installing-", dir=target.parent))
    try:
        done = subprocess.run(
            [npm, "install", "--prefix", str(staging), "--no-save", "--no-audit", "--no-fund",
             "--ignore-scripts", "--legacy-peer-deps", *PACKAGES],
            capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["npm failed"])[-1]
            raise EngineUnavailable(f"npm could not install {' '.join(PACKAGES)}: {last}")
        try:
            staging.rename(target)
        except OSError:
            if not (target / "node_modules" / "wmlandscape").is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def engine_readings(paths: list[Path]) -> dict[str, dict]:
    """OWM's reading of each file, keyed by file name."""
    folder = install_engine()
    done = subprocess.run(
        ["node", str(SCRIPT), *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NODE_PATH": str(folder / "node_modules")},
    )
    if done.returncode != 0:
        raise RuntimeError(f"read_owm.js failed: {done.stderr.strip()[-500:]}")
    return {Path(p).name: reading for p, reading in json.loads(done.stdout).items()}


def recorded_readings() -> dict[str, dict]:
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def record_readings() -> None:
    readings = engine_readings(corpus_maps())
    RECORDED.write_text(json.dumps(readings, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
