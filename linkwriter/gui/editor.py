"""The Markdown editor widget: a QPlainTextEdit with a readable column and link awareness."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QFontDatabase,
    QFontMetricsF,
    QMouseEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from linkwriter.gui.repaint import LineRepaint
from linkwriter.gui.spans import SpanIndex

MAX_COLUMN_CHARS = 96  # a comfortable line length for prose
SHAPED_BLOCK_MAX = 50_000  # characters; the glyphs of a longer paragraph are not kept (memory)
MD_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".txt"}

LinkTag = tuple[str, int]  # (verdict, link index in the applied analysis)


class MarkdownEditor(QPlainTextEdit):
    filesDropped = Signal(list)  # list[Path]
    linkOpened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.spans: SpanIndex[LinkTag] = SpanIndex()
        # Set by the window: (utf16 pos) -> tooltip text or None.
        self.tooltip_provider: Callable[[int], str | None] | None = None
        # (utf16 pos) -> URL to open on Ctrl+click, or None.
        self.url_provider: Callable[[int], str | None] | None = None
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.15))
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self._sync_margin_palette()
        self.line_repaint = LineRepaint(self)
        self._shaped_block = QTextBlock()
        self.cursorPositionChanged.connect(self._keep_cursor_block_shaped)

    # -- layout ------------------------------------------------
    def _sync_margin_palette(self) -> None:
        """The side margins belong to the page, so paint them with the text background."""
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, pal.color(QPalette.ColorRole.Base))
        self.setPalette(pal)
        self.setAutoFillBackground(True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.setPalette(self.window().palette() if self.window() else self.palette())
            self._sync_margin_palette()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        self._update_column()  # first, so the relayout below wraps at the new column width
        super().resizeEvent(event)

    def _update_column(self) -> None:
        avg = QFontMetricsF(self.font()).averageCharWidth()
        column = int(avg * MAX_COLUMN_CHARS) + 24
        total = self.width() - self.verticalScrollBar().sizeHint().width() - 4
        side = max(0, (total - column) // 2)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    @Slot()
    def _keep_cursor_block_shaped(self) -> None:
        """Keep the shaped glyphs of the paragraph the cursor is in.

        Qt drops a paragraph's glyphs once it is laid out, then shapes the whole paragraph
        again to place the cursor and again to draw it: three shapings per keystroke, each
        about 0.3 ms in a 1,200-character paragraph. With the cache it is one. Only this
        block keeps them (about 17 bytes a character more), so memory does not grow with the post.
        """
        block = self.textCursor().block()
        if block == self._shaped_block:
            return
        old, self._shaped_block = self._shaped_block, block
        if old.isValid():
            old.layout().setCacheEnabled(False)
        block.layout().setCacheEnabled(block.length() <= SHAPED_BLOCK_MAX)

    # -- text access ------------------------------------------------
    def text(self) -> str:
        """The text exactly as typed (toPlainText() would turn no-break spaces into spaces)."""
        return self.document().toRawText().replace("\u2029", "\n")

    def select_span(self, start16: int, end16: int) -> None:
        cursor = self.textCursor()
        size = self.document().characterCount() - 1
        cursor.setPosition(max(0, min(start16, size)))
        cursor.setPosition(max(0, min(end16, size)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor() if not self._cursor_visible() else self.ensureCursorVisible()

    def _cursor_visible(self) -> bool:
        rect = self.cursorRect()
        return self.viewport().rect().contains(rect)

    def link_at(self, pos16: int) -> tuple[int, int, LinkTag] | None:
        found = self.spans.at(pos16)
        return min(found, key=lambda s: s[1] - s[0]) if found else None

    # -- mouse: tooltips and Ctrl+click --------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.tooltip_provider is not None:
            pos16 = self.cursorForPosition(event.pos()).position()
            tip = self.tooltip_provider(pos16)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    @staticmethod
    def _follow_modifier() -> Qt.KeyboardModifier:
        # Qt maps Cmd to ControlModifier on macOS, so this is "Cmd+click" there.
        return Qt.KeyboardModifier.ControlModifier

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        over_link = False
        if event.modifiers() & self._follow_modifier():
            over_link = self.link_at(self.cursorForPosition(event.position().toPoint())
                                     .position()) is not None
        shape = Qt.CursorShape.PointingHandCursor if over_link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if (event.button() == Qt.MouseButton.LeftButton
                and event.modifiers() & self._follow_modifier()
                and not self.textCursor().hasSelection()
                and self.url_provider is not None):
            url = self.url_provider(self.cursorForPosition(event.position().toPoint()).position())
            if url and open_external(url):
                self.linkOpened.emit(url)
                event.accept()
                return
        super().mouseReleaseEvent(event)

    # -- drag and drop of files ------------------------------------------------
    @staticmethod
    def _dropped_files(mime) -> list[Path]:  # noqa: ANN001
        if not mime.hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [p for p in paths if p.suffix.lower() in MD_SUFFIXES]

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001
        files = self._dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.filesDropped.emit(files)
        else:
            super().dropEvent(event)


SAFE_SCHEMES = {"http", "https", "mailto", "ftp"}


def open_external(url: str) -> bool:
    """Open http(s)/mailto links in the browser; refuse javascript:, file:, data: and friends."""
    qurl = QUrl(url.strip())
    if not qurl.isValid() or qurl.scheme().lower() not in SAFE_SCHEMES:
        return False
    return QDesktopServices.openUrl(qurl)


IS_MAC = sys.platform == "darwin"
