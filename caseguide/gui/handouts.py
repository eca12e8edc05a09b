"""Printing and PDF export from the window: the handout options, the preview, and the file."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import SIGNAL, SLOT, QObject, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import (
    QAbstractPrintDialog,
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import QComboBox, QFileDialog, QGraphicsView, QLineEdit, QMessageBox, QToolBar, QToolButton

from .. import APP_NAME
from ..errors import CaseGuideError
from ..guides.handout import HandoutOptions, compose, document_title, options_from_settings
from ..i18n import N_, _
from .printing import page_layout, paint_pages, write_pdf
from .screen_fit import available_area, fitted_size
from .tasks import Task

PREVIEW_SHARE = 0.9  # of the screen's room: pages big enough to read


def arrange_preview(preview: QPrintPreviewDialog, window) -> None:
    """Make Qt's print preview readable: most of the screen, pages as wide as the view (its own Fit
    width button, so the toolbar shows it pressed), with its zoom buttons and zoom box at hand."""
    area = available_area(window)
    size = fitted_size(area, QSize(0, 0), QSize(round(area.width() * PREVIEW_SHARE),
                                                  round(area.height() * PREVIEW_SHARE)))
    preview.resize(size)
    preview.move(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 2)
    fit_width = preview.findChild(QAction, "fitWidthAction")
    if fit_width is not None:
        fit_width.trigger()


# Printers that make a file instead of paper: CUPS-PDF, Microsoft Print to PDF, the XPS writer, OneNote.
_FILE_PRINTER_RE = re.compile(r"pdf|xps|onenote|document writer|print to file", re.IGNORECASE)
PAPER_ONLY = N_("On a shared PC handouts can be printed on paper, but not saved as a file, which the next "
                "person could find. Choose a printer.")
NO_PRINTER = N_("No printer is set up on this PC, so the handout cannot be printed. Please ask a member of staff.")


def makes_files(name: str, model: str = "") -> bool:
    """True for a printer that writes a file (a PDF printer and the like) rather than paper."""
    return bool(_FILE_PRINTER_RE.search(name) or _FILE_PRINTER_RE.search(model))


def paper_printers() -> list[str]:
    """The names of this PC's printers that print on paper."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()
            if not makes_files(info.printerName(), info.makeAndModel())]


def prints_to_file(printer: QPrinter) -> bool:
    return (bool(printer.outputFileName()) or printer.outputFormat() != QPrinter.OutputFormat.NativeFormat
            or makes_files(printer.printerName()))


class Handouts(QObject):
    """Owns the print preview and export for one window. On a shared PC (*shared*) it prints on
    paper only: the preview's Print button opens a print dialog that offers printers and no
    print-to-file, and nothing is painted to a file whatever path a print takes."""

    saved = Signal(str, int)  # path, pages
    failed = Signal(str)

    def __init__(self, current, settings, choices, add_details, parent, shared: bool = False):
        """*current* is the window's CurrentLibrary, *settings* its Settings, *choices()* gives
        (large print, client version) as ticked now, *add_details()* opens Preferences, and *parent*
        is the window the dialogs belong to."""
        super().__init__(parent)
        self.current = current
        self.settings = settings
        self.choices = choices
        self.add_details = add_details
        self.parent_widget = parent
        self.preview: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None  # the preview's printer, kept as long as the preview
        self.file_dialog: QFileDialog | None = None
        self.offer_box: QMessageBox | None = None
        self.task: Task | None = None
        self.shared = shared
        self.print_dialog: QPrintDialog | None = None
        self._printing = False  # painting for a real print (not the preview's pictures)

    def options(self) -> HandoutOptions:
        large_print, client = self.choices()
        return options_from_settings(self.settings, large_print=large_print, client=client)

    def _compose(self, guides):
        options = self.options()
        try:
            return compose(guides, self.current.library, options), options
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
        preview = QPrintPreviewDialog(printer, self.parent_widget)
        preview.setWindowTitle(_("Print preview") + f" – {APP_NAME}")
        library = self.current.library
        preview.paintRequested.connect(lambda device: self._paint(html, device, options.base_pt, library))
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.destroyed.connect(self._preview_gone)
        if self.shared:
            self._print_on_paper_only(preview, printer)
        self.printer = printer
        keyboard_and_names_for(preview)
        self.preview = preview
        arrange_preview(preview, self.parent_widget)
        preview.open()
        preview.raise_()
        preview.activateWindow()

    def _preview_gone(self) -> None:
        self.preview = None
        self.printer = None
        self.print_dialog = None

    def _paint(self, html: str, device, base_pt: int, library) -> None:
        to_file = bool(device.outputFileName()) or (self._printing and prints_to_file(device))
        if self.shared and to_file:
            self.failed.emit(_(PAPER_ONLY))  # the last guard, whichever way the print was asked for
            return
        paint_pages(html, device, base_pt, library)

    def _print_on_paper_only(self, preview: QPrintPreviewDialog, printer: QPrinter) -> None:
        """The preview's own Print button opens Qt's print dialog, which offers "Print to File
        (PDF)": it is rerouted to :meth:`choose_printer`, which does not."""
        for action in preview.findChildren(QAction):
            if QObject.disconnect(action, SIGNAL("triggered(bool)"), preview, SLOT("_q_print()")):
                action.triggered.connect(lambda _checked=False: self.choose_printer(preview, printer))

    def choose_printer(self, preview: QPrintPreviewDialog, printer: QPrinter) -> None:
        """A print dialog with this PC's paper printers only (shared mode), opened without blocking."""
        printers = paper_printers()
        if not printers:
            self.failed.emit(_(NO_PRINTER))
            return
        printer.setOutputFileName("")
        printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
        if makes_files(printer.printerName()) or printer.printerName() not in printers:
            printer.setPrinterName(printers[0])
        dialog = QPrintDialog(printer, preview)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        dialog.setWindowTitle(_("Print the handout") + f" – {APP_NAME}")
        dialog.accepted.connect(lambda: self._print_now(preview, printer))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # what open() does (PySide's wants a slot)
        dialog.show()

    def _print_now(self, preview: QPrintPreviewDialog, printer: QPrinter) -> None:
        if prints_to_file(printer):
            self.failed.emit(_(PAPER_ONLY))
            return
        self._printing = True
        try:
            preview.findChild(QPrintPreviewWidget).print_()
        finally:
            self._printing = False
        preview.accept()

    def export_pdf(self, guides) -> None:
        title = guides[0].title if len(guides) == 1 else "guides"
        name = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower() or "handout"
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(self.parent_widget, _("Save the handout as PDF"), str(Path(folder) / f"{name}.pdf"),
                             _("PDF files (*.pdf)"))
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
        title, library = document_title(guides), self.current.library
        self.task = Task(lambda progress: write_pdf(html, path, options.paper, options.base_pt, title, library),
                         self)
        self.task.finished.connect(lambda pages: self._saved(str(path), pages, options))
        self.task.failed.connect(self.failed)
        self.task.start()

    def _saved(self, path: str, pages: int, options: HandoutOptions) -> None:
        self.saved.emit(path, pages)
        if not options.organisation and not options.contact and not self.settings.is_locked("organisation.name"):
            self.offer_organisation()

    def offer_organisation(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("Add your details to handouts?") + f" – {APP_NAME}",
                          _("Handouts can carry your organisation's name and contact details, so a client "
                          "knows who to call. Add them now?"), parent=self.parent_widget)
        add = box.addButton(_("Add details…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: box.clickedButton() is add and self.add_details())
        self.offer_box = box
        box.open()


def keyboard_and_names_for(preview: QPrintPreviewDialog) -> None:
    """Qt's print preview, as far as it can be reached: its toolbar buttons take Tab, and the zoom
    box, the page number and the preview itself have names (Qt leaves them nameless)."""
    for bar in preview.findChildren(QToolBar):
        bar.setAccessibleName(_("Print preview tools"))
        for button in bar.findChildren(QToolButton):
            if button.objectName() == "qt_toolbar_ext_button":
                button.setAccessibleName(_("More tools"))
            else:
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    zoom_edits = set()
    for combo in preview.findChildren(QComboBox):
        combo.setAccessibleName(_("Zoom"))
        if combo.lineEdit() is not None:
            combo.lineEdit().setAccessibleName(_("Zoom"))
            zoom_edits.add(combo.lineEdit())
    for edit in preview.findChildren(QLineEdit):
        if edit not in zoom_edits:
            edit.setAccessibleName(_("Page number"))
    for widget in preview.findChildren(QPrintPreviewWidget):
        widget.setAccessibleName(_("Preview of the handout"))
        for view in widget.findChildren(QGraphicsView):
            view.setAccessibleName(_("Preview of the handout"))
            view.viewport().setAccessibleName(_("Pages of the handout"))
