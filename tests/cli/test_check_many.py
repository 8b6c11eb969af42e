"""``osom check *.osom`` and the cost of one ``osom`` process (issues 11 and 14).

Checking a 500-file folder one file per process took about 18 minutes: each process
paid its imports and the folder. Several files in one ``osom check`` share the folder
read; ``osom --version`` and ``--help`` load nothing of the model, storage or pydantic.
Real processes, real files (the hostile folder: a FIFO, a link to /dev/zero, nested
JSON, a file over the row cap, next to good services).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analysis.hostile_folder import GOOD, HOSTILE, HostileFolder, build
from tests.cli.test_cli import osom

# What ``osom --version`` and ``--help`` must not import: the model's classes (pydantic),
# storage (sqlite_utils, numpy), the checks. Before: all of them, 270 ms.
HEAVY = ("pydantic", "sqlite_utils", "numpy", "osom_desktop.model.service", "osom_desktop.model.wardley",
         "osom_desktop.model.document", "osom_desktop.storage", "osom_desktop.analysis")


@pytest.fixture
def hostile(tmp_path: Path) -> HostileFolder:
    return build(tmp_path)


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_nothing_of_the_model(flag: str) -> None:
    code = (
        "import json, sys\n"
        "from osom_desktop.cli import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = [m for m in loaded if m.startswith(HEAVY)]
    assert heavy == [], f"{flag} imported {heavy[:10]}"
    assert ("osom 0.1" in done.stdout) if flag == "--version" else ("check" in done.stdout)


def test_many_files_one_line_each_and_the_worst_exit_code(hostile: HostileFolder) -> None:
    files = sorted(hostile.folder.glob("*.osom"))  # what the shell gives for *.osom
    assert len(files) == len(GOOD) + len(HOSTILE)
    done = osom("check", *files)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2  # the worst: some files cannot be read
    out, err = done.stdout.splitlines(), done.stderr.splitlines()
    for name, path in hostile.good.items():
        # Every good file is checked, whatever stood before it on the command line.
        closing = [ln for ln in out + err if ln in (f"{path}: sound",) or
                   (ln.startswith(f"{path}: ") and ln.endswith("problem(s) found"))]
        assert len(closing) == 1, (name, done.stdout, done.stderr)
    for name, (_, word) in HOSTILE.items():
        if word is None:  # a link to a good file elsewhere: checked as that file
            assert any(ln.startswith(f"{hostile.hostile[name]}: ") for ln in out + err), done.stderr
            continue
        reasons = [ln for ln in err if ln.startswith(f"osom: {name}: ")]
        assert len(reasons) == 1 and word in reasons[0], done.stderr
    # The neighbours were read for each file, as for one file alone.
    assert f"{hostile.good['Apply Online']}: warning: this live service depends on 'Payments', " \
           f"which is still in alpha" in out


def test_many_files_say_what_each_alone_says(hostile: HostileFolder) -> None:
    good = sorted(hostile.good.values())
    together = osom("check", *good)
    alone = [osom("check", path) for path in good]
    assert together.stdout == "".join(a.stdout for a in alone)
    assert together.stderr == "".join(a.stderr for a in alone)
    assert together.returncode == max(a.returncode for a in alone)


def test_problems_but_nothing_unreadable_exit_1(tmp_path: Path, hostile: HostileFolder) -> None:
    files = [hostile.good["Apply Online"], hostile.good["Payments"]]
    assert osom("check", *files).returncode == 1
    missing = tmp_path / "gone.osom"
    done = osom("check", missing, hostile.good["Payments"])
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("osom: gone.osom: ")
    assert any(ln.startswith(str(hostile.good["Payments"])) for ln in done.stdout.splitlines() + done.stderr.splitlines())


def test_check_with_no_file_is_a_usage_error() -> None:
    done = osom("check")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_check_loads_only_what_checking_needs(hostile: HostileFolder) -> None:
    """No writer, no sqlite_utils (numpy, click, dateutil: ~0.2 s a process), no export
    code: 500 separate ``osom check`` runs pay each process's imports 500 times."""
    code = (
        "import json, sys\n"
        "from osom_desktop.cli import main\n"
        f"code = main(['check', {str(hostile.good['Payments'])!r}])\n"
        "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    exit_code, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert exit_code in (0, 1), done.stderr
    unneeded = ("sqlite_utils", "numpy", "matplotlib", "weasyprint", "jinja2", "osom_desktop.storage.writer",
                "osom_desktop.export", "PySide6")
    assert [m for m in loaded if m.startswith(unneeded)] == []
