"""Rendered preview of the post: QTextBrowser, rendered off the GUI thread, links made safe.

QTextBrowser runs no scripts; on top of that, unsafe URLs are rewritten before display and
clicks go through open_external (http, https, mailto, ftp only), never navigating in place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRunnable, QThreadPool, QUrl, Signal, Slot
from PySide6.QtWidgets import QTextBrowser, QWidget

from linkwriter.core.htmlexport import is_safe_url, render_html
from linkwriter.gui.editor import open_external
from linkwriter.gui.theme import LIGHT, Theme


def preview_html(text: str) -> str:
    return render_html(text, standalone=False)


class _RenderJob(QRunnable):
    def __init__(self, done: Any, revision: int, text: str) -> None:
        super().__init__()
        self._done = done
        self._args = (revision, text)

    def run(self) -> None:
        revision, text = self._args
        try:
            body = preview_html(text)
        except Exception as exc:  # show the problem instead of a stale page
            body = f"<p><b>Preview failed:</b> {type(exc).__name__}</p>"
        self._done.emit(revision, body)


class PreviewPane(QTextBrowser):
    linkRefused = Signal(str)
    rendered = Signal(int)
    _done = Signal(int, str)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False
        self.revision = -1
        self._waiting: tuple[int, str] | None = None
        self._done.connect(self._on_done)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.document().setDefaultStyleSheet(
            f"a {{ color: {theme.link}; }} code, pre {{ font-family: monospace; }}"
            "h1, h2, h3 { margin-top: 14px; } table { border-collapse: collapse; }"
            "td, th { border: 1px solid gray; padding: 3px 6px; }")
        self.document().setDocumentMargin(16)

    def request(self, revision: int, text: str) -> None:
        if self.busy:
            self._waiting = (revision, text)
            return
        self.busy = True
        self.pool.start(_RenderJob(self._done, revision, text))

    @Slot(int, str)
    def _on_done(self, revision: int, body: str) -> None:
        self.busy = False
        if self._waiting is not None:
            args, self._waiting = self._waiting, None
            self.request(*args)
            if args[0] != revision:
                return  # a newer text is already being rendered
        bar = self.verticalScrollBar()
        keep = bar.value()
        self.setHtml(body)
        bar.setValue(keep)
        self.revision = revision
        self.rendered.emit(revision)

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("#"):
            self.scrollToAnchor(url.fragment())
            return
        if not is_safe_url(text) or not open_external(text):
            self.linkRefused.emit(text)

    def shutdown(self) -> None:
        self._waiting = None
        self.pool.waitForDone(10_000)
