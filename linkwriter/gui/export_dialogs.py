"""Export dialogs: cleaned Markdown (with a diff of what will change) and HTML with rel values."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

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
from linkwriter.core.htmlexport import domain_matches, host_of, render_html
from linkwriter.core.model import Category, Finding, Severity
from linkwriter.core.post import Post
from linkwriter.gui.storage import atomic_write_bytes
from linkwriter.gui.textfile import TextFormat, encode

AFFILIATE_RULES = {"affiliate-undisclosed", "partner-overlinking"}


def cleaned_text(text: str, config: Config, *, strip_markers: bool, tracking: bool,
                 bare_urls: bool, unused_definitions: bool,
                 reports: dict[str, Any] | None = None) -> str:
    from linkwriter.core.clean import CleanOptions, clean_text

    network: list[Finding] = []
    if reports:
        try:
            from linkwriter.core.extract import parse_post
            from linkwriter.core.net import network_findings

            network = list(network_findings(parse_post(text), reports, config))
        except ImportError:
            network = []
    options = CleanOptions(strip_markers=strip_markers, tracking=tracking, bare_urls=bare_urls,
                           unused_definitions=unused_definitions)
    return clean_text(text, config, options, network)


def unified_diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 f"{name} (now)", f"{name} (cleaned)", n=1)
    return "".join(lines)


class CleanExportDialog(QDialog):
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

    def refresh(self) -> None:
        try:
            self.result_text = cleaned_text(
                self.text, self.config, strip_markers=self.markers.isChecked(),
                tracking=self.tracking.isChecked(), bare_urls=self.bare.isChecked(),
                unused_definitions=self.unused.isChecked(), reports=self.reports)
        except Exception as exc:  # show, do not crash: the writer can still cancel
            self.result_text = self.text
            self.summary.setText(f"Cleaning failed: {exc}")
            self.diff.setPlainText("")
            return
        diff = unified_diff(self.text, self.result_text, self.name)
        changed = sum(1 for line in diff.splitlines()
                      if line.startswith(("+", "-")) and not line.startswith(("+++", "---")))
        self.summary.setText(f"{changed} changed line(s)." if diff else "Nothing to clean.")
        self.diff.setPlainText(diff or "The cleaned post is identical to the current text.")

    def export_to(self, path: Path) -> None:
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._choose_and_export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def marked(self, column: int) -> set[str]:
        from PySide6.QtCore import Qt

        return {self.table.item(r, 0).text() for r in range(self.table.rowCount())
                if self.table.item(r, column).checkState() == Qt.CheckState.Checked}

    def html(self) -> str:
        return render_html(self.text, title=self.title_edit.text(), sponsored=self.marked(2),
                           nofollow=self.marked(3))

    def export_to(self, path: Path) -> None:
        atomic_write_bytes(path, self.html().encode("utf-8"))

    def _choose_and_export(self) -> None:
        start = str(self.default_path or "post.html")
        name, _ = QFileDialog.getSaveFileName(self, "Export HTML", start, "HTML (*.html *.htm)")
        if not name:
            return
        try:
            self.export_to(Path(name))
        except OSError as exc:
            QMessageBox.critical(self, "Export failed", f"{name}: {exc}")
            return
        self.accept()


def _check(value: bool):  # noqa: ANN202
    from PySide6.QtCore import Qt

    return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
