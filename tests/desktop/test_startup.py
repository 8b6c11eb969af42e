"""Starting the app on something it cannot open: one clear message, and the app still works."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from osom_desktop import app as desktop_app
from osom_desktop.app import startup_problem
from osom_desktop.paths import RESOURCES, user_config_dir


def _run_main_and_look(args: list[str], look) -> int:
    """Run the real ``main`` with ``args``; ``look()`` runs once the event loop is going, then quits."""
    seen: list[object] = []

    def inspect() -> None:
        try:
            seen.append(look())
        finally:
            for w in QApplication.topLevelWidgets():
                if isinstance(w, QMessageBox):
                    w.done(0)
            for w in QApplication.topLevelWidgets():
                w.close()
            QApplication.instance().quit()

    QTimer.singleShot(700, inspect)
    desktop_app.main(args)
    return len(seen)


def test_missing_file_and_folder_give_one_message_in_the_window(qapp, tmp_path: Path, capsys) -> None:
    missing = tmp_path / "gone.osom"
    no_folder = tmp_path / "no-such-folder"
    found: dict[str, object] = {}

    def look() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        found["boxes"] = [(b.text(), b.informativeText()) for b in boxes]
        found["windows"] = [w.windowTitle() for w in QApplication.topLevelWidgets()
                            if w.isVisible() and not isinstance(w, QMessageBox)]

    assert _run_main_and_look([str(missing), str(no_folder)], look) == 1
    assert len(found["boxes"]) == 1  # one message, not a stack of dialogs
    text, _ = found["boxes"][0]
    assert text.splitlines() == [f"{missing}: no such file or folder", f"{no_folder}: no such file or folder"]
    assert found["windows"], "a usable window is open behind the message"
    err = capsys.readouterr().err
    assert f"osom-desktop: {missing}: no such file or folder" in err
    assert "Traceback" not in err


def test_settings_live_in_the_users_config_folder(qapp, tmp_path: Path) -> None:
    def look() -> str:
        return QSettings().fileName()

    names: list[str] = []
    _run_main_and_look([str(tmp_path / "x.osom")], lambda: names.append(look()))
    assert Path(names[0]).is_relative_to(user_config_dir())
    # the test run's own home (conftest), never the person's real ~/.config
    assert Path(names[0]).is_relative_to(Path(os.environ["OSOM_HOME"]))


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
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
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
