"""Running the real app in a child process, driven by tests/app/driver.py, and killing it."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from osom_desktop.model.service import ServiceDocument
from osom_desktop.storage import open_document, save_document

REPO = Path(__file__).resolve().parents[2]


class AppRun:
    """One run of the app; ``expect`` reads what the driver printed, in order."""

    def __init__(self, steps: list[list], args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.app.driver", json.dumps(steps), *args],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.seen: list = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                pass

    def expect(self, kind: str, timeout: float = 30.0) -> list:
        """The next line of ``kind`` (e.g. "done", "windows"); fails after ``timeout``."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.01, left))
            except queue.Empty:
                pytest.fail(f"the app never printed {kind!r}; it printed {self.seen}; "
                            f"stderr: {self.stderr_now()}")
            self.seen.append(line)
            if line[0] == kind:
                return line

    def step_done(self, index: int, timeout: float = 30.0) -> None:
        while self.expect("done", timeout)[1] != index:
            pass

    def kill(self) -> None:
        """kill -9: no close, no clean-up, as a crash or a power cut."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def finish(self, timeout: float = 30.0) -> int:
        return self.proc.wait(timeout)

    def stderr_now(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read()[-2000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()


@pytest.fixture
def app_env(tmp_path: Path):
    """An environment for app runs: own home, recovery folder, fast autosave."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OSOM_HOME=str(tmp_path / "home"),
               OSOM_RECOVERY_DIR=str(tmp_path / "recovery"), OSOM_AUTOSAVE_MS="200")
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


@pytest.fixture
def start_app(app_env):
    runs: list[AppRun] = []

    def start(steps: list[list], args: list[str] = (), **env: str) -> AppRun:
        run = AppRun(steps, [str(a) for a in args], {**app_env, **env})
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.close()


def service_file(folder: Path, name: str = "pay.osom") -> Path:
    doc = ServiceDocument()
    doc.service.name = "Payroll"
    path = folder / name
    save_document(doc, path)
    return path


def recovered_purposes(recovery: Path) -> list[str]:
    """The contract purpose in each recovery copy now in the folder."""
    out = []
    for data in sorted(recovery.glob("*.osom")) if recovery.is_dir() else []:
        # The owner's autosave may be replacing this copy right now (on a loaded machine
        # a read can land mid-replace): look again a few times before leaving it out.
        for _attempt in range(20):
            try:
                out.append(open_document(data).contract.purpose)
                break
            except FileNotFoundError:
                break  # discarded by its owner: really gone
            except Exception:  # noqa: BLE001 - being replaced right now: look again
                time.sleep(0.1)
    return out


def wait_for_recovery_copy(recovery: Path, text: str, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(text in p for p in recovered_purposes(recovery)):
            return
        time.sleep(0.1)
    pytest.fail(f"no recovery copy holds {text!r} after {timeout} s: {recovered_purposes(recovery)}")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process windows get their own recovery folder and settings (recent files, layout)."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("OSOM_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
