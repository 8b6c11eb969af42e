"""The main window's exports (File > Export; split from main_window, issue 14).

OWM text, PNG, SVG, Mermaid and the governance pack: each opens where the last export
of its kind went, runs through ``export_guard.run_export`` (every failure in a dialog,
issue 11) and, once written, offers to open the result (``export_guard.offer_open``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from osom_desktop.views.main_window import MainWindow


def export_dialog(w: MainWindow, fmt: str) -> None:
    from osom_desktop.views.export_guard import export_start

    suffix = "mmd" if fmt == "mermaid" else fmt
    # Where the last export went (a person's "Exports" folder), else beside the file.
    base = export_start(fmt, f"{w.path.stem if w.path else 'map'}.{suffix}",
                        w.path.parent if w.path else None)
    filters = {"owm": "OWM text (*.owm)", "png": "PNG image (*.png)", "svg": "SVG image (*.svg)",
               "mermaid": "Mermaid wardley-beta (*.mmd)"}
    title = "Mermaid" if fmt == "mermaid" else fmt.upper()
    name, _ = QFileDialog.getSaveFileName(w, f"Export {title}", str(base), filters[fmt])
    if name and not _names_a_folder(w, name, "Not exported"):
        export_to(w, Path(name), fmt)


def _names_a_folder(w: MainWindow, name: str, prefix: str) -> bool:
    """``out/`` typed as the file: refused as ``osom`` refuses it. Checked on the text,
    since ``Path`` drops the trailing separator (and would write a file ``out``)."""
    from osom_desktop.storage.atomic import NotAFileError, names_a_folder

    if names_a_folder(name):
        w.show_error(f"{prefix} — {NotAFileError.named_folder(name)}", dialog=True)
        return True
    return False


def export_to(w: MainWindow, path: Path, fmt: str) -> bool:
    from osom_desktop.views.export_guard import run_export

    losses: list[str] = []

    def write() -> None:
        if fmt == "mermaid":
            from osom_desktop.export.output import write_export
            from osom_desktop.formats.mermaid import write_mermaid

            result = write_mermaid(w.document.map)
            losses.extend(result.losses)
            write_export(path, result.text.encode("utf-8"), "text")
        elif fmt == "owm":
            from osom_desktop.export.output import write_export
            from osom_desktop.owm import write_owm

            write_export(path, write_owm(w.document.map).encode("utf-8"), "text")
        else:
            from osom_desktop.export.image import render_png, render_svg

            (render_svg if fmt == "svg" else render_png)(w.document.map, path)

    error = run_export(w, path, write)  # every failure in a dialog (issue 11)
    if error is not None:
        if error:
            w.show_error(f"Not exported — {error}", dialog=True)
        return False
    from osom_desktop.formats.mermaid import losses_summary
    from osom_desktop.views.export_guard import offer_open, remember_export

    w.statusBar().showMessage("; ".join(filter(None, [f"Exported {path.name}", losses_summary(losses)])),
                              10000 if losses else 4000)
    remember_export(fmt, path)
    offer_open(w, path)
    return True


def export_pack_dialog(w: MainWindow) -> None:
    from osom_desktop.views.export_guard import export_start

    base = export_start("pack", f"{w.path.stem} pack.html" if w.path else "pack.html",
                        w.path.parent if w.path else None)
    name, chosen = QFileDialog.getSaveFileName(
        w, "Export governance pack", str(base), "Web page, opens anywhere (*.html);;PDF document (*.pdf)"
    )
    if name and not _names_a_folder(w, name, "Pack not exported"):
        path = Path(name)
        if path.suffix.lower() not in (".html", ".pdf"):
            path = path.with_suffix(".pdf" if "pdf" in chosen.lower() else ".html")
        export_pack(w, path)


def export_pack(w: MainWindow, path: Path) -> bool:
    """The governance pack (map, contract, rejected guidance, findings, assessments)
    as one HTML file or a PDF, the form following the extension."""
    from osom_desktop.export.pack import build_pack
    from osom_desktop.export.pack_html import write_pack_html
    from osom_desktop.export.pack_pdf import write_pack_pdf
    from osom_desktop.views.export_guard import run_export

    w.text.flush()

    def write() -> None:
        pack = build_pack(w.document.data, source_path=w.path, directory=w.directory)
        (write_pack_pdf if path.suffix.lower() == ".pdf" else write_pack_html)(pack, path)

    error = run_export(w, path, write)  # every failure in a dialog (issue 11)
    if error is not None:
        if error:
            w.show_error(f"Pack not exported — {error}", dialog=True)
        return False
    from osom_desktop.views.export_guard import offer_open, remember_export

    unsaved = " (from unsaved changes: save to match the file)" if w.is_modified() else ""
    w.statusBar().showMessage(f"Exported {path.name}{unsaved}", 6000)
    remember_export("pack", path)
    offer_open(w, path)
    return True
