"""The repository stands alone: a clone with nothing beside it has all it needs."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEXT_SUFFIXES = {".py", ".sh", ".md", ".toml", ".j2", ".css", ".cfg", ".ini", ".txt", ".in", ""}


def _project_files() -> list[Path]:
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", "build", "dist", ".hypothesis"}
    return [p for p in REPO.rglob("*")
            if p.is_file() and not (set(p.relative_to(REPO).parts) & skip) and p.suffix in TEXT_SUFFIXES
            and "fixtures" not in p.parts and not any(part.endswith(".egg-info") for part in p.parts)]


def test_nothing_reads_or_links_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|/work/shared|REPO\.parent")
    offenders = [str(p.relative_to(REPO)) for p in _project_files()
                 if p != Path(__file__) and outside.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


def test_every_owm_fixture_has_its_origin_and_licence() -> None:
    folder = REPO / "tests" / "fixtures" / "owm"
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    fixtures = sorted(folder.glob("*.owm"))
    assert len(fixtures) >= 10
    for fixture in fixtures:
        # each file's row names its origin repository (the prefix before "__") and a licence
        repo_owner, repo_name = fixture.name.split("__")[:2]
        row = next((line for line in sources.splitlines() if f"{repo_owner}/{repo_name}" in line), None)
        assert row is not None and "MIT" in row, fixture.name
