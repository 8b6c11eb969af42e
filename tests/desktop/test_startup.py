"""Starting the app on something it cannot open: one clear message, and the app still works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from osom_desktop.app import startup_problem
from osom_desktop.paths import RESOURCES

# Runs the real ``main`` in its own process (a whole app start leaves state behind that
# other tests in the same process would trip over), looks once the event loop is going,
# prints what it saw as JSON and quits.
_LOOK = """
import json, os, sys
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from osom_desktop import app

def look():
    tops = QApplication.topLevelWidgets()
    boxes = [w.text() for w in tops if isinstance(w, QMessageBox) and w.isVisible()]
    windows = [w.windowTitle() for w in tops if w.isVisible() and not isinstance(w, QMessageBox)]
    print(json.dumps({"boxes": boxes, "windows": windows, "settings": QSettings().fileName()}), flush=True)
    sys.stderr.flush()
    os._exit(0)  # seen what we came for; no shutdown dialogs or autosave to wait on

qapp = QApplication(sys.argv[:1])  # main() uses this one; the timer needs it first
QTimer.singleShot(1500, look)
app.main(sys.argv[1:])
"""


def _run_main_and_look(args: list[str], home: Path) -> tuple[dict, str]:
    # its own home: no recovery copies left by other tests to be offered at start
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OSOM_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", _LOOK, *args], env=env, capture_output=True, text=True,
                          timeout=120)
    seen = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert seen, done.stderr
    return json.loads(seen[-1]), done.stderr


def test_missing_file_and_folder_give_one_message_in_the_window(tmp_path: Path) -> None:
    missing = tmp_path / "gone.osom"
    no_folder = tmp_path / "no-such-folder"
    found, err = _run_main_and_look([str(missing), str(no_folder)], tmp_path / "home")
    assert len(found["boxes"]) == 1  # one message, not a stack of dialogs
    assert found["boxes"][0].splitlines() == [f"{missing}: no such file or folder",
                                              f"{no_folder}: no such file or folder"]
    assert found["windows"], "a usable window is open behind the message"
    assert f"osom-desktop: {missing}: no such file or folder" in err
    assert "Traceback" not in err


def test_settings_live_in_the_users_config_folder(tmp_path: Path) -> None:
    found, _ = _run_main_and_look([str(tmp_path / "x.osom")], tmp_path / "home")
    # OSOM_HOME's config folder (the tests' own), never the person's real ~/.config
    assert Path(found["settings"]).is_relative_to(tmp_path / "home" / "config")


def test_startup_problem_names_each_kind_of_unusable_path(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.osom"
    os.mkfifo(fifo)
    assert startup_problem(fifo) == f"{fifo}: not a regular file"  # never opened, so never hangs
    assert startup_problem(tmp_path / "nope.osom") == f"{tmp_path / 'nope.osom'}: no such file or folder"
    assert startup_problem(tmp_path) is None
    good = tmp_path / "a.owm"
    good.write_text("title A\n")
    assert startup_problem(good) is None


def test_the_real_app_keeps_running_after_a_bad_argument(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OSOM_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-m", "osom_desktop", str(tmp_path / "missing.osom")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        # However slow the machine, the message comes before the event loop starts...
        deadline = time.monotonic() + 60
        while not any(line.startswith("osom-desktop:") for line in lines) and time.monotonic() < deadline:
            assert proc.poll() is None, "".join(lines)
            time.sleep(0.1)
        # ...and the app is still there afterwards: the user can go on.
        time.sleep(1.5)
        assert proc.poll() is None, "".join(lines)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        reader.join(timeout=20)
    messages = [line.rstrip("\n") for line in lines if line.startswith("osom-desktop:")]
    assert messages == [f"osom-desktop: {tmp_path / 'missing.osom'}: no such file or folder"]
    assert not any("Traceback" in line for line in lines)


def test_resources_are_package_data() -> None:
    import osom_desktop

    package = Path(osom_desktop.__file__).resolve().parent
    assert RESOURCES.resolve().is_relative_to(package)
    for name in ("pack/pack.html.j2", "samples/notifications.owm", "guidance/example-catalogue.toml",
                 "icons/osom-desktop.svg"):
        assert (RESOURCES / name).is_file(), name
