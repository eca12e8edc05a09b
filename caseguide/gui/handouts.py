"""Printing and PDF export from the window: the handout options, the preview, and the file."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox

from .. import APP_NAME, settings
from ..errors import CaseGuideError
from ..guides.handout import HandoutOptions, compose, document_title, options_from_settings
from .printing import page_layout, paint_pages, write_pdf
from .tasks import Task


class Handouts(QObject):
    """Owns the print preview and export for one window."""

    saved = Signal(str, int)  # path, pages
    failed = Signal(str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.preview: QPrintPreviewDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.task: Task | None = None

    def options(self) -> HandoutOptions:
        actions = self.window.actions_by_name
        return options_from_settings(large_print=actions["large_print"].isChecked(),
                                     client=actions["client_version"].isChecked())

    def _compose(self, guides):
        options = self.options()
        try:
            return compose(guides, self.window.library, options), options
        except CaseGuideError as exc:
            self.failed.emit(str(exc))
            return None, options

    def print_preview(self, guides) -> None:
        html, options = self._compose(guides)
        if html is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(options.paper))
        printer.setDocName(document_title(guides))
        preview = QPrintPreviewDialog(printer, self.window)
        preview.setWindowTitle(f"Print preview – {APP_NAME}")
        library = self.window.library
        preview.paintRequested.connect(lambda device: paint_pages(html, device, options.base_pt, library))
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.destroyed.connect(lambda: setattr(self, "preview", None))
        preview._printer = printer  # keep it alive as long as the dialog
        self.preview = preview
        preview.open()

    def export_pdf(self, guides) -> None:
        title = guides[0].title if len(guides) == 1 else "guides"
        name = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower() or "handout"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self.window, "Save the handout as PDF", str(Path(folder) / f"{name}.pdf"),
                             "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_pdf(guides, Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()

    def save_pdf(self, guides, path: Path) -> None:
        """Write the PDF off the UI thread; ``saved`` or ``failed`` follows."""
        html, options = self._compose(guides)
        if html is None:
            return
        title, library = document_title(guides), self.window.library
        self.task = Task(lambda progress: write_pdf(html, path, options.paper, options.base_pt, title, library),
                         self)
        self.task.finished.connect(lambda pages: self._saved(str(path), pages, options))
        self.task.failed.connect(self.failed)
        self.task.start()

    def _saved(self, path: str, pages: int, options: HandoutOptions) -> None:
        self.saved.emit(path, pages)
        if not options.organisation and not options.contact and not settings.Settings().is_locked(
                "organisation.name"):
            self.offer_organisation()

    def offer_organisation(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"Add your details to handouts? – {APP_NAME}",
                          "Handouts can carry your organisation's name and contact details, so a client "
                          "knows who to call. Add them now?", parent=self.window)
        add = box.addButton("Add details…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: box.clickedButton() is add and self.window.show_preferences())
        self.offer_box = box
        box.open()
