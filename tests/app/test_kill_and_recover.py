"""Nothing typed is lost: the real app, killed with SIGKILL at the worst moments, gives
the work back on its next start.

Each test runs ``osom-desktop`` (``osom_desktop.app.main``) in child processes driven
by ``tests/app/driver.py`` as a person would (typing into the real Purpose field,
answering the real dialogs), with autosave every 200 ms.
"""

from __future__ import annotations

import json
from pathlib import Path

from osom_desktop.session.lock import lock_path
from tests.app.conftest import recovered_purposes, service_file, wait_for_recovery_copy

RESTORE = [["answer", "Yes"], ["window"], ["report"]]


def typed_then_killed(start_app, path: Path, recovery: Path, text: str, *, commit: bool = True):
    """A first run: the person types into Purpose (and clicks away, committing it,
    unless ``commit`` is False) and waits until the work is autosaved."""
    steps = [["window"], ["type_purpose", text]] + ([["click_map"]] if commit else [])
    run = start_app(steps, [path])
    run.step_done(len(steps) - 1)
    wait_for_recovery_copy(recovery, text)
    return run


def restored_windows(start_app) -> list[dict]:
    run = start_app(RESTORE)
    asked = run.expect("asked")
    windows = run.expect("windows")[1]
    run.kill()
    return asked, windows


def test_text_still_being_typed_in_a_field_survives_a_crash(start_app, tmp_path: Path) -> None:
    path = service_file(tmp_path)
    first = typed_then_killed(start_app, path, tmp_path / "recovery", "Pay every employee on time", commit=False)
    first.kill()
    asked, windows = restored_windows(start_app)
    assert "pay.osom" in asked[1]
    assert [(w["path"], w["purpose"], w["modified"]) for w in windows] == [
        (str(path), "Pay every employee on time", True)]


def test_a_second_copy_of_the_app_closing_or_saving_keeps_the_first_ones_copy(start_app, tmp_path: Path) -> None:
    path = service_file(tmp_path)
    recovery = tmp_path / "recovery"
    first = typed_then_killed(start_app, path, recovery, "The first copy's work")
    # A second copy opens the file read-only and quits ...
    second = start_app([["answer", "Open Read-Only"], ["window"], ["quit"]], [path])
    assert "already open" in second.expect("asked")[1]
    assert second.finish() == 0
    # ... a third opens it anyway, types, saves and quits.
    third = start_app([["answer", "Open Anyway"], ["window"], ["type_purpose", "The third's"], ["save"],
                       ["quit"]], [path])
    assert third.finish() == 0
    assert "The first copy's work" in recovered_purposes(recovery)
    first.kill()
    _asked, windows = restored_windows(start_app)
    assert [w["purpose"] for w in windows] == ["The first copy's work"]


def test_restored_work_survives_a_second_crash_before_it_is_saved(start_app, tmp_path: Path) -> None:
    path = service_file(tmp_path)
    recovery = tmp_path / "recovery"
    typed_then_killed(start_app, path, recovery, "Restored once").kill()
    # Restore it, and crash 1.5 s later, before this run's own autosave (a minute away).
    second = start_app([["answer", "Yes"], ["window"], ["sleep", 1500]], OSOM_AUTOSAVE_MS="60000")
    second.step_done(2)
    lock_holder = json.loads(lock_path(path).read_text())["pid"]
    second.kill()
    _asked, windows = restored_windows(start_app)
    assert [(w["path"], w["purpose"]) for w in windows] == [(str(path), "Restored once")]
    # The restored window held the file's lock, as any window editing it does.
    assert lock_holder == second.proc.pid


def test_work_ignored_at_start_is_still_offered_after_opening_and_closing_the_file(start_app, tmp_path: Path) -> None:
    path = service_file(tmp_path)
    recovery = tmp_path / "recovery"
    typed_then_killed(start_app, path, recovery, "Not now, later").kill()
    second = start_app([["answer", "Ignore"], ["window"], ["quit"]], [path])
    assert second.finish() == 0
    _asked, windows = restored_windows(start_app)
    assert [w["purpose"] for w in windows] == ["Not now, later"]
