"""The executive pack written by a child process, so the window never freezes.

WeasyPrint lays out hundreds of pages holding Python's GIL; in a thread of the app it
would still stall the GUI thread. A child process (``export.executive_job``) has its
own interpreter: the window only reads its progress lines, and Cancel kills it (the
pack is written atomically, so a cancelled export leaves nothing behind).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal


class ExecutiveExport(QObject):
    progressed = Signal(int, int, str)  # done, total, what is being done
    finished = Signal(Path)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, folder: Path, out: Path, today: dt.date | None, replace_read_only: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.out = out
        self._cancelled = False
        self._buffer = b""
        self._errors: list[str] = []
        self.process = QProcess(self)
        args = ["-m", "osom_desktop.export.executive_job", str(folder), str(out)]
        if today is not None:
            args += ["--today", today.isoformat()]
        if replace_read_only:
            args.append("--replace-read-only")
        self.process.setProgram(sys.executable)
        self.process.setArguments(args)
        self.process.readyReadStandardOutput.connect(self._on_output)
        self.process.readyReadStandardError.connect(self._on_errors)
        self.process.finished.connect(self._on_finished)
        self.process.errorOccurred.connect(self._on_error_occurred)

    def start(self) -> None:
        self.process.start()

    def cancel(self) -> None:
        self._cancelled = True
        self.process.kill()

    def is_running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _on_output(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            parts = raw.decode("utf-8", "replace").split(" ", 3)
            if len(parts) >= 3 and parts[0] == "progress":
                try:
                    self.progressed.emit(int(parts[1]), int(parts[2]), parts[3] if len(parts) > 3 else "")
                except ValueError:
                    pass

    def _on_errors(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        self._errors += [line for line in text.splitlines() if line.strip()]

    def _on_error_occurred(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failed.emit(f"could not start the export ({self.process.errorString()})")

    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self._cancelled:
            self.cancelled.emit()
        elif code == 0:
            self.finished.emit(self.out)
        else:
            last = self._errors[-1] if self._errors else f"the export stopped (exit code {code})"
            self.failed.emit(last.removeprefix("osom: "))
