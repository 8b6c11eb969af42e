"""Mermaid's real parser for the format tests: npm ``@mermaid-js/parser``, installed once
into the user's cache folder (CI: a fresh machine with node + npm and the registry).

Skipped, with the reason, only when node or npm is missing; a failed install fails."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import pytest

# The newest release when written (`npm view @mermaid-js/parser versions`); its
# `parse('wardley', ...)` reads `wardley-beta`, as 1.2.x already did. Pinned so the
# grammar we test against does not move under us.
MERMAID_PARSER = "@mermaid-js/parser@2.0.1"
SCRIPT = Path(__file__).with_name("mermaid_parse.mjs")


@dataclass(frozen=True)
class MermaidParser:
    node: str
    package_dir: Path

    def parse(self, *files: Path) -> list[dict]:
        """Mermaid's reading of each file: {"ok": bool, "error"?: str, "names": [...], ...}."""
        out = subprocess.run([self.node, str(SCRIPT), str(self.package_dir), *map(str, files)],
                             capture_output=True, text=True, timeout=120)
        if out.returncode not in (0, 1) or not out.stdout.strip():
            raise AssertionError(f"mermaid_parse.mjs failed: {out.stderr.strip()[-2000:]}")
        return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]

    def parse_text(self, tmp_path: Path, text: str, name: str = "map.mmd") -> dict:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return self.parse(path)[0]


def _install(cache: Path, npm: str) -> Path:
    """Install the parser into ``cache`` (once; later runs and xdist workers reuse it)."""
    package_dir = cache / "node_modules" / "@mermaid-js" / "parser"
    cache.parent.mkdir(parents=True, exist_ok=True)
    lock_path = cache.parent / (cache.name + ".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two xdist workers must not install at once
        if (package_dir / "package.json").is_file():
            return package_dir
        work = Path(tempfile.mkdtemp(prefix=cache.name + ".", dir=cache.parent))
        try:
            (work / "package.json").write_text('{"private": true}\n')
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", MERMAID_PARSER],
                cwd=work, capture_output=True, text=True, timeout=600,
            )
            if done.returncode != 0:
                raise AssertionError(f"npm install {MERMAID_PARSER} failed: {done.stderr.strip()[-1500:]}")
            if cache.exists():
                shutil.rmtree(cache)
            os.replace(work, cache)
        finally:
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(work)
    return package_dir


@pytest.fixture(scope="session")
def mermaid_parser() -> MermaidParser:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to check our Mermaid text with Mermaid's own parser")
    cache = platformdirs.user_cache_path("osom-desktop-tests") / ("mermaid-parser-" + MERMAID_PARSER.rsplit("@", 1)[1])
    return MermaidParser(node, _install(cache, npm))
