"""``osom check`` answered by a warm server (osom_desktop/check_server.py, issue 11).

A shell loop over a folder starts a process per file; the server keeps the modules
loaded so each of those processes stays small. What a person must never notice is any
difference in what is said: every test compares the served answer with the same check
run in its own process (``OSOM_CHECK_SERVER=0``), on real files (the hostile folder:
FIFO, /dev/zero link, nested JSON, a file over the row cap) and real processes, and
kills, idles and refuses real servers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from osom_desktop import check_server
from tests.analysis.hostile_folder import build
from tests.analysis.services import dependency, document, saved

# A real process of the real command line, which says afterwards whether it loaded the
# model (pydantic): a served check does not; one run in its own process must.
RUN_AND_REPORT = (
    "import os, sys\n"
    "if os.environ.get('TEST_CODE'):  # a copy of the package, before the editable install's\n"
    "    sys.path.insert(0, os.environ['TEST_CODE'])\n"
    "    sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in type(f).__module__.lower()]\n"
    "from osom_desktop.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "sys.stdout.flush()\n"
    "open(sys.argv[1], 'w').write(str('pydantic' in sys.modules))\n"
    "sys.exit(code)\n"
)


@pytest.fixture
def home(tmp_path: Path):  # noqa: ANN201 - yields the OSOM_HOME folder
    """OSOM_HOME, and beside it (as XDG_RUNTIME_DIR) a short folder for the sockets."""
    home = tmp_path / "home"
    runtime = Path(tempfile.mkdtemp(prefix="osom-rt-", dir="/tmp"))
    RUNTIME[home] = runtime
    yield home
    for pid in _server_pids(home):  # no server outlives its test
        _stop(pid)
    shutil.rmtree(runtime, ignore_errors=True)


RUNTIME: dict[Path, Path] = {}


def sockets(home: Path) -> Path:
    """Where the servers of this test's home keep their sockets and locks."""
    return RUNTIME[home] / "osom"


def _env(home: Path, served: bool = True, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["OSOM_HOME"] = str(home)
    env["XDG_RUNTIME_DIR"] = str(RUNTIME[home])
    env["OSOM_CHECK_SERVER"] = "1" if served else "0"
    env.setdefault("OSOM_CHECK_SERVER_IDLE", "120")
    env.update(extra)
    return env


def check(env: dict[str, str], *files: Path | str, cwd: Path | None = None) -> tuple[int, str, str, bool]:
    """Exit code, stdout, stderr, and whether the process loaded the model itself."""
    report = Path(env["OSOM_HOME"]).parent / "loaded-model.txt"
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_REPORT, str(report), "check", *map(str, files)],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
    )
    return done.returncode, done.stdout, done.stderr, report.read_text() == "True"


def _server_pids(home: Path) -> list[int]:
    run = sockets(home)
    locks = sorted(run.glob("*.lock")) if run.is_dir() else []
    return [pid for lock in locks if (pid := check_server.server_pid(str(lock)[: -len(".lock")])) is not None]


def wait_for_server(home: Path, timeout: float = 60) -> int:
    """The pid of the server the first check started, once it answers."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pids = _server_pids(home)
        if pids and list(sockets(home).glob("*.sock")):
            return pids[0]
        time.sleep(0.1)
    raise AssertionError(f"no check server started under {home}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.05)


def test_served_checks_say_what_their_own_process_says(tmp_path: Path, home: Path) -> None:
    hostile = build(tmp_path)
    files = sorted(hostile.folder.glob("*.osom"))
    served, own = _env(home), _env(home, served=False)

    first = check(served, files[0])
    assert first[3], "the first check has no server to ask: it runs in its own process"
    pid = wait_for_server(home)

    for each in [*([f] for f in files), files]:  # every file alone, then all at once
        by_server, by_itself = check(served, *each), check(own, *each)
        assert by_server[:3] == by_itself[:3], each
        assert not by_server[3], f"{each}: not answered by the server"
        assert by_itself[3]
        assert "Traceback" not in by_server[2]
    assert _server_pids(home) == [pid]  # one server answered them all


def test_a_file_changed_between_checks_gets_its_new_verdict(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "services"
    saved(document("Payments", sid="svc-pay"), folder)
    apply = saved(document("Apply Online", sid="svc-apply", deps=[dependency("Payments", "svc-pay")]), folder)
    served = _env(home)
    check(served, apply)
    wait_for_server(home)
    before = check(served, apply)

    saved(document("Apply Online", sid="svc-apply", deps=[dependency("Ledger", "svc-ledger")]), folder)
    after = check(served, apply)

    assert not after[3]
    assert after[:3] != before[:3]
    assert after[:3] == check(_env(home, served=False), apply)[:3]
    assert "Ledger" in after[1] + after[2]


def test_names_are_read_from_the_callers_folder(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "services"
    saved(document("Payments", sid="svc-pay"), folder)
    served = _env(home)
    check(served, "payments.osom", cwd=folder)
    wait_for_server(home)

    code, out, err, loaded = check(served, "payments.osom", "missing.osom", cwd=folder)

    assert not loaded
    assert (code, out, err) == check(_env(home, served=False), "payments.osom", "missing.osom", cwd=folder)[:3]
    assert out.startswith("payments.osom: ")  # named as the user typed it
    assert "missing.osom" in err


def test_the_first_check_does_not_wait_for_the_server_it_starts(tmp_path: Path, home: Path) -> None:
    """The server gets none of the caller's descriptors: a caller reading the check's
    output to its end (a pipe, CI's log, subprocess.run) is not kept waiting for it."""
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    env = _env(home, OSOM_CHECK_SERVER_IDLE="600")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "osom_desktop.cli", "check", str(path)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    assert time.monotonic() - started < 60
    assert _alive(wait_for_server(home))


def test_a_killed_server_is_replaced_and_nothing_is_lost(tmp_path: Path, home: Path) -> None:
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    served = _env(home)
    check(served, path)
    pid = wait_for_server(home)
    expected = check(_env(home, served=False), path)[:3]

    os.kill(pid, signal.SIGKILL)  # its socket stays behind, no one listening
    while _alive(pid):
        time.sleep(0.05)
    again = check(served, path)
    assert again[:3] == expected and again[3]  # answered in its own process
    new = wait_for_server(home)
    assert new != pid
    assert check(served, path)[:3] == expected


def test_an_idle_server_leaves_and_removes_its_socket(tmp_path: Path, home: Path) -> None:
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    served = _env(home, OSOM_CHECK_SERVER_IDLE="1")
    check(served, path)
    pid = wait_for_server(home)
    end = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.1)
    assert not _alive(pid)
    assert list(sockets(home).glob("*.sock")) == []


def test_a_folder_others_can_enter_is_not_used(tmp_path: Path, home: Path) -> None:
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    sockets(home).mkdir(parents=True)
    sockets(home).chmod(0o777)
    served = _env(home)
    expected = check(_env(home, served=False), path)[:3]
    for _ in range(2):
        code, out, err, loaded = check(served, path)
        assert (code, out, err) == expected and loaded
    time.sleep(0.5)
    assert list(sockets(home).iterdir()) == []  # no socket, no lock: no server was started


def test_each_environment_and_each_version_of_the_code_has_its_own_server(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    workdir = tmp_path / "work"  # on sys.path, as `python -m osom_desktop.cli` puts the working folder
    workdir.mkdir()
    monkeypatch.syspath_prepend(str(workdir))
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "checks.py").write_text("RULE = 1\n")
    runtime = tempfile.mkdtemp(prefix="osom-rt-", dir="/tmp")  # short: a socket's path has ~100 bytes
    env = {"HOME": "/home/a", "TZ": "UTC", "PWD": "/x", "_": "/usr/bin/osom", "XDG_RUNTIME_DIR": runtime}
    base = check_server.identity(str(package), env)

    # A shell's own bookkeeping does not matter; anything else the check could read does.
    assert check_server.identity(str(package), {**env, "PWD": "/y", "_": "/bin/sh", "SHLVL": "3"}) == base
    (workdir / "payments.txt").write_text("a loop's output")  # the working folder changes, not the code
    assert check_server.identity(str(package), env) == base
    # The server of an installed copy has its site-packages first on its path as well.
    site = next(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))
    monkeypatch.syspath_prepend(site)
    assert check_server.identity(str(package), env) == base
    assert check_server.identity(str(package), {**env, "TZ": "Pacific/Auckland"}) != base
    (package / "sub" / "checks.py").write_text("RULE = 22\n")  # an edit in place
    changed = check_server.identity(str(package), env)
    assert changed != base
    # The same place: the one server there is asked, sees other code and leaves (below).
    assert check_server.socket_path(changed, env) == check_server.socket_path(base, env)
    elsewhere = {**env, "OSOM_HOME": str(tmp_path / "other")}
    assert check_server.socket_path(base, env) is not None
    assert check_server.socket_path(check_server.identity(str(package), elsewhere), elsewhere) != \
        check_server.socket_path(base, env)
    shutil.rmtree(runtime)


def test_edited_code_replaces_its_server_instead_of_adding_one(tmp_path: Path, home: Path) -> None:
    """A copy of the package whose module is edited between two checks (as in a
    developer's tree, or an upgrade in place): the old server leaves, the check is run by
    the new code in its own process, and one new server answers the next."""
    copy = tmp_path / "code"
    shutil.copytree(Path(check_server.__file__).parent, copy / "osom_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    served = _env(home, TEST_CODE=str(copy))
    check(served, path)
    old = wait_for_server(home)
    assert Path(f"/proc/{old}/cmdline").read_bytes().split(b"\0")[3] == str(copy).encode()
    assert not check(served, path)[3]

    checks = copy / "osom_desktop" / "analysis" / "service_checks.py"
    checks.write_text(checks.read_text() + "\n# edited\n")
    again = check(served, path)
    assert again[3]  # answered by the edited code, in its own process
    end = time.monotonic() + 20
    while _alive(old) and time.monotonic() < end:
        time.sleep(0.05)
    assert not _alive(old)
    new = wait_for_server(home)
    assert new != old and _server_pids(home) == [new]
    assert not check(served, path)[3]


def test_the_server_refuses_a_client_of_another_identity(tmp_path: Path, home: Path) -> None:
    """Two identities never share a socket name in practice; if they did (a hash
    collision), the server says no and the client checks in its own process."""
    path = saved(document("Payments", sid="svc-pay"), tmp_path / "services")
    served = _env(home)
    check(served, path)
    wait_for_server(home)
    sock = str(next(sockets(home).glob("*.sock")))
    with pytest.raises(check_server.NoServer):
        check_server.ask(["check", str(path)], json.dumps(["someone else"]), sock)
