"""Export dialogs: cleaned Markdown (with a diff of what will change) and HTML with rel values."""

from __future__ import annotations

import concurrent.futures as cf
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from linkwriter.core.config import Config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.htmlexport import domain_matches, host_of
from linkwriter.core.model import Category, Finding, Severity
from linkwriter.core.post import Post
from linkwriter.gui.storage import atomic_write_bytes
from linkwriter.gui.textfile import TextFormat, encode

AFFILIATE_RULES = {"affiliate-undisclosed", "partner-overlinking"}


class CleanExportDialog(QDialog):
    """Options, then the diff of what cleaning changes, then export.

    The cleaning (an analysis of the whole post) and the diff run in the analysis worker
    (pipeline.clean_export): seconds on a 1 MB post, asked again at every toggle. One job at a
    time; options toggled meanwhile are sent when it is back, and only the result for the
    options now shown is used. Export waits for it.
    """

    _cleaned = Signal(int, object)  # serial of the request, its Future

    def __init__(self, parent: QWidget | None, text: str, config: Config, fmt: TextFormat,
                 name: str, reports: dict[str, Any] | None = None,
                 default_path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cleanExportDialog")
        self.setWindowTitle("Export cleaned Markdown")
        self.resize(820, 600)
        self.text, self.config, self.fmt, self.name = text, config, fmt, name
        self.reports = reports
        self.default_path = default_path
        self.result_text = text
        self._serial = 0  # of the newest request
        self._done_serial = 0  # of the request result_text belongs to
        self._in_flight = False
        # Queued: a job already done when submitted replies from this thread at once, and
        # the result must not land inside refresh() (analysis.run_in_worker).
        self._cleaned.connect(self._on_cleaned, Qt.ConnectionType.QueuedConnection)
        layout = QVBoxLayout(self)
        options = QHBoxLayout()
        self.tracking = QCheckBox("Remove tracking parameters", self)
        self.tracking.setChecked(True)
        self.bare = QCheckBox("Make bare URLs explicit", self)
        self.bare.setChecked(True)
        self.unused = QCheckBox("Drop unused references", self)
        self.unused.setChecked(True)
        self.markers = QCheckBox("Remove ignore markers", self)
        for box in (self.tracking, self.bare, self.unused, self.markers):
            box.toggled.connect(self.refresh)
            options.addWidget(box)
        options.addStretch(1)
        layout.addLayout(options)
        self.summary = QLabel(self)
        self.summary.setObjectName("cleanSummary")
        layout.addWidget(self.summary)
        self.diff = QPlainTextEdit(self)
        self.diff.setObjectName("cleanDiff")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.diff, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._choose_and_export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    def options(self) -> dict[str, bool]:
        return {"strip_markers": self.markers.isChecked(), "tracking": self.tracking.isChecked(),
                "bare_urls": self.bare.isChecked(),
                "unused_definitions": self.unused.isChecked()}

    def ready(self) -> bool:
        """Whether the diff shown is for the options shown (export is possible)."""
        return self._done_serial == self._serial and not self._in_flight

    @Slot()
    def refresh(self) -> None:
        self._serial += 1
        self.export_button.setEnabled(False)
        self.summary.setText("Cleaning…")
        if not self._in_flight:
            self._send()

    def _send(self) -> None:
        from linkwriter.gui.analysis import run_in_worker

        self._in_flight = True
        try:
            run_in_worker(self._cleaned, self._serial, "clean_export", self.text, self.config,
                          self.options(), self.reports, self.name)
        except Exception as exc:  # no worker could be started: say so, lose nothing
            self._in_flight = False
            self._show_failure(exc)

    @Slot(int, object)
    def _on_cleaned(self, serial: int, future: cf.Future) -> None:
        self._in_flight = False
        if serial != self._serial:
            self._send()  # the options changed meanwhile
            return
        try:
            self.result_text, diff, changed = future.result()
        except Exception as exc:  # show, do not crash: the writer can still cancel
            self._show_failure(exc)
            return
        self._done_serial = serial
        self.summary.setText(f"{changed} changed line(s)." if diff else "Nothing to clean.")
        self.diff.setPlainText(diff or "The cleaned post is identical to the current text.")
        self.export_button.setEnabled(True)

    def _show_failure(self, exc: BaseException) -> None:
        self.result_text = self.text
        self.summary.setText(f"Cleaning failed: {exc}")
        self.diff.setPlainText("")

    def export_to(self, path: Path) -> None:
        if not self.ready():
            raise LinkWriterError("the cleaned text is not ready yet")
        atomic_write_bytes(path, encode(self.result_text, self.fmt))

    def _choose_and_export(self) -> None:
        start = str(self.default_path or Path(self.name).with_suffix(".clean.md"))
        name, _ = QFileDialog.getSaveFileName(self, "Export cleaned Markdown", start,
                                              "Markdown (*.md)")
        if not name:
            return
        try:
            self.export_to(Path(name))
        except (OSError, LinkWriterError) as exc:
            QMessageBox.critical(self, "Export failed", f"{name}: {exc}")
            return
        self.accept()


def rel_defaults(post: Post, findings: list[Finding], config: Config
                 ) -> list[tuple[str, str, bool, bool]]:
    """(href, anchor, sponsored, nofollow) per distinct link, prefilled from config and findings."""
    flagged_sponsored: set[int] = set()
    flagged_untrusted: set[int] = set()
    for f in findings:
        if f.link_index is None:
            continue
        if f.rule in AFFILIATE_RULES:
            flagged_sponsored.add(f.link_index)
        if f.category == Category.TRUST and f.severity == Severity.ERROR:
            flagged_untrusted.add(f.link_index)
    rows: dict[str, tuple[str, str, bool, bool]] = {}
    for i, link in enumerate(post.links):
        href = link.href or link.url
        if not href or href.startswith("#") or link.is_image:
            continue
        host = host_of(href)
        sponsored = i in flagged_sponsored or bool(host and domain_matches(host, config.partners))
        nofollow = i in flagged_untrusted or bool(host and domain_matches(host, config.blocked))
        old = rows.get(href)
        if old:
            sponsored, nofollow = sponsored or old[2], nofollow or old[3]
        rows[href] = (href, old[1] if old else link.text, sponsored, nofollow)
    return list(rows.values())


class HtmlExportDialog(QDialog):
    _rendered = Signal(object, object)  # the target path, the render's Future

    def __init__(self, parent: QWidget | None, text: str, post: Post, findings: list[Finding],
                 config: Config, default_path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("htmlExportDialog")
        self.setWindowTitle("Export HTML")
        self.resize(820, 520)
        self.text = text
        self.default_path = default_path
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit(post.title, self)
        form.addRow("Page title:", self.title_edit)
        layout.addLayout(form)
        layout.addWidget(QLabel(
            "rel=\"sponsored\" tells search engines a link is paid or affiliate; rel=\"nofollow\" "
            "that you do not vouch for it. Links opening a new tab get rel=\"noopener\".", self))
        rows = rel_defaults(post, findings, config)
        self.table = QTableWidget(len(rows), 4, self)
        self.table.setObjectName("relTable")
        self.table.setHorizontalHeaderLabels(["Link", "Anchor text", "sponsored", "nofollow"])
        for r, (href, anchor, sponsored, nofollow) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(href))
            self.table.setItem(r, 1, QTableWidgetItem(anchor))
            for c, value in ((2, sponsored), (3, nofollow)):
                item = QTableWidgetItem()
                item.setCheckState(_check(value))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.status = QLabel("", self)
        self.status.setObjectName("htmlExportStatus")
        layout.addWidget(self.status)
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._choose_and_export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.written: Path | None = None  # the file the last export wrote
        self._rendered.connect(self._on_rendered, Qt.ConnectionType.QueuedConnection)

    def marked(self, column: int) -> set[str]:
        return {self.table.item(r, 0).text() for r in range(self.table.rowCount())
                if self.table.item(r, column).checkState() == Qt.CheckState.Checked}

    def export_to(self, path: Path) -> None:
        """Render in the analysis worker (pipeline.html_export), then write `path` and close;
        the dialog stays usable meanwhile and says what is happening."""
        from linkwriter.gui.analysis import run_in_worker

        self.buttons.setEnabled(False)
        self.status.setText("Exporting…")
        try:
            run_in_worker(self._rendered, path, "html_export", self.text,
                          self.title_edit.text(), sorted(self.marked(2)), sorted(self.marked(3)))
        except Exception as exc:
            self._failed(path, exc)

    @Slot(object, object)
    def _on_rendered(self, path: Path, future: cf.Future) -> None:
        try:
            atomic_write_bytes(path, future.result().encode("utf-8"))
        except Exception as exc:
            self._failed(path, exc)
            return
        self.written = path
        self.accept()

    def _failed(self, path: Path, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText("")
        QMessageBox.critical(self, "Export failed", f"{path}: {exc}")

    def _choose_and_export(self) -> None:
        start = str(self.default_path or "post.html")
        name, _ = QFileDialog.getSaveFileName(self, "Export HTML", start, "HTML (*.html *.htm)")
        if name:
            self.export_to(Path(name))


def _check(value: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
