"""What one ``osom check FILE`` process loads (issue 11).

A person's shell loop (``for f in DIR/*.osom; do osom check "$f"; done``) starts one
process a file, and each pays for every module it imports. These tests are about
modules, not time (speed is measured in bench/bench_check_process.py): a check of a
current-format file loads none of the catalogue readers, the other commands' modules,
the export, drawing and Qt stacks; ``osom --version`` loads none of the commands.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from osom_desktop.cli import main
from osom_desktop.samples import sample_document
from osom_desktop.storage import save_document

# Never needed to check a file: the writer's sqlite_utils (numpy, click, dateutil), the
# network and pack stacks, Qt; the executive's catalogue readers (TOML) of which only
# governance.scales is used; the bundled resources' lookup (importlib.resources' readers);
# the commands that are not 'check' (measures, show, import-backstage). platformdirs:
# not with OSOM_HOME set (as in the tests); without it, the summary cache's folder needs it.
NOT_FOR_CHECK = (
    "sqlite_utils", "numpy", "networkx", "jinja2", "matplotlib", "weasyprint", "PySide6", "shiboken6",
    "yaml", "tomllib", "platformdirs", "importlib.resources.readers", "importlib.readers",
    "osom_desktop.storage.writer", "osom_desktop.export", "osom_desktop.drawing", "osom_desktop.views",
    "osom_desktop.formats", "osom_desktop.fitness",
    "osom_desktop.guidance.writer", "osom_desktop.guidance.versions",
    "osom_desktop.governance.criteria", "osom_desktop.governance.mandates", "osom_desktop.governance.toml_file",
)

# 'osom --version' answers from the parser: no command's module (formats brings
# dataclasses and inspect, measures csv), nothing of the model.
NOT_FOR_VERSION = ("pydantic", "osom_desktop.formats", "osom_desktop.fitness", "osom_desktop.storage",
                   "osom_desktop.analysis", "osom_desktop.model.service", "csv")


def loaded_by(*argv: str) -> tuple[int, list[str], str]:
    """Exit code and sys.modules of a fresh process that ran ``osom ARGV``."""
    code = (
        "import json, sys\n"
        "from osom_desktop.cli import main\n"
        "try:\n"
        f"    code = main({list(argv)!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    exit_code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return exit_code, modules, done.stdout


@pytest.fixture(scope="module")
def service_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("check-imports") / "sample.osom"
    save_document(sample_document(), path)  # the current format: nothing to migrate
    return path


def test_check_loads_none_of_what_it_never_calls(service_file: Path) -> None:
    exit_code, modules, out = loaded_by("check", str(service_file))
    assert exit_code == 0 and out.strip().endswith(": sound"), out
    assert [m for m in modules if m.startswith(NOT_FOR_CHECK)] == []
    # What it does need is loaded: the model, the reader, the checks' scales.
    assert {"osom_desktop.model.service", "osom_desktop.storage.reader", "osom_desktop.governance.scales"} <= set(modules)


def test_version_loads_no_command(service_file: Path) -> None:
    exit_code, modules, out = loaded_by("--version")
    assert exit_code == 0 and out.startswith("osom ")
    assert [m for m in modules if m.startswith(NOT_FOR_VERSION)] == []


def test_the_catalogue_packages_still_give_every_name() -> None:
    """Loaded when first used, the packages' names are the same objects as their modules'."""
    import osom_desktop.governance as governance
    import osom_desktop.guidance as guidance
    from osom_desktop.governance import criteria, mandates, scales
    from osom_desktop.guidance import catalogue, versions, writer

    for package in (governance, guidance):
        for name in package.__all__:
            assert getattr(package, name) is not None, name
    assert governance.load_mandates is mandates.load_mandates and governance.shipped_sets is criteria.shipped_sets
    assert governance.SCALES is scales.SCALES
    assert guidance.load_catalogue is catalogue.load_catalogue and guidance.is_newer is versions.is_newer
    assert guidance.write_catalogue is writer.write_catalogue
    assert guidance.EXAMPLE_CATALOGUE.is_file()
    with pytest.raises(AttributeError):
        _ = governance.no_such_name  # type: ignore[attr-defined]


def test_the_cycle_collector_rests_while_the_first_file_loads(service_file: Path) -> None:
    """The modules and model classes loaded for the first file are not garbage: before,
    ~55 collector passes ran over them in every process."""
    code = (
        "import gc, sys\n"
        "from osom_desktop.cli import main\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: passes.append(info) if phase == 'start' else None)\n"
        f"code = main(['check', {str(service_file)!r}])\n"
        "print(code, len(passes), gc.isenabled(), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    exit_code, passes, enabled = done.stderr.split()[-3:]
    assert exit_code == "0", done.stderr
    # A few at most: before the first file (the command line's parsing) and once it is on
    # again (the cache's save); not the ~55 of the model's loading.
    assert int(passes) <= 4
    assert enabled == "True"


def test_check_leaves_the_cycle_collector_on(service_file: Path, tmp_path: Path) -> None:
    """It is off while the first file loads the modules, and on again afterwards, even
    when a file cannot be read (``main`` is also called in-process, by tests and tools)."""
    assert gc.isenabled()
    assert main(["check", str(service_file)]) == 0
    assert gc.isenabled()
    bad = tmp_path / "bad.osom"
    bad.write_bytes(b"not a database")
    assert main(["check", str(bad), str(service_file)]) == 2
    assert gc.isenabled()
