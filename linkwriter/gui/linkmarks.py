"""Link colouring as extra selections: marks that ride along with edits.

Why not QSyntaxHighlighter formats: Qt repaints the whole editor viewport whenever a block's
formats change, and a highlighter re-formats the edited block on every keystroke, so typing in
a paragraph with a link cost a full repaint per key. Extra selections are QTextCursors, which
the document moves with every edit by itself, so typing re-colours nothing and Qt repaints only
the edited paragraph. Only the links near the visible text are marked (a window a few screens tall,
moved as the view scrolls), so a post with thousands of links costs the same as a short one.

Links typed since the last analysis get an "unchecked" mark at once from a block-local regex.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from linkwriter.gui.highlighter import CODE_STATES, is_fence_line, utf16_len
from linkwriter.gui.spans import SpanIndex
from linkwriter.gui.theme import Theme

# Links typed since the last analysis: inline "[..](..)", autolinks, bare URLs.
QUICK_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<https?://[^>\s]+>"
                           r"|https?://[^\s<>()\[\]]+")

UNDERLINES = {
    "ok": QTextCharFormat.UnderlineStyle.SingleUnderline,
    "unchecked": QTextCharFormat.UnderlineStyle.DotLine,
    "info": QTextCharFormat.UnderlineStyle.DashUnderline,
    "warning": QTextCharFormat.UnderlineStyle.WaveUnderline,
    "error": QTextCharFormat.UnderlineStyle.WaveUnderline,
}


class LinkMarks(QObject):
    """Keeps the editor's extra selections equal to its link spans near the visible text."""

    MARGIN = 3_000  # UTF-16 units marked beyond each edge of the visible text

    def __init__(self, editor: QPlainTextEdit, spans: SpanIndex, theme: Theme) -> None:
        super().__init__(editor)
        self.editor = editor
        self.spans = spans
        self.quick: SpanIndex[str] = SpanIndex()  # typed since the last analysis
        self.formats: dict[str, QTextCharFormat] = {}
        self.window: tuple[int, int] = (0, self.MARGIN)
        self.set_theme(theme, refresh=False)
        # Marks change after the edit is over: rebuilding them inside contentsChange (the
        # document is mid-edit) makes Qt repaint the whole viewport.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self._apply)
        editor.document().contentsChange.connect(self._on_contents_change)
        editor.verticalScrollBar().valueChanged.connect(self._on_view_moved)
        editor.viewport().installEventFilter(self)

    def set_theme(self, theme: Theme, refresh: bool = True) -> None:
        fmts: dict[str, QTextCharFormat] = {}
        for verdict, style in UNDERLINES.items():
            f = QTextCharFormat()
            f.setForeground(QColor(theme.error if verdict == "error" else theme.link))
            f.setUnderlineStyle(style)
            f.setUnderlineColor(theme.verdict_color(verdict))
            fmts[verdict] = f
        self.formats = fmts
        if refresh:
            self.refresh()

    # -- what is marked ------------------------------------------------
    def visible_range(self) -> tuple[int, int]:
        ed = self.editor
        first = ed.firstVisibleBlock().position()
        vp = ed.viewport()
        last = ed.cursorForPosition(QPoint(vp.width() - 1, vp.height() - 1)).position()
        return first, max(first, last)

    def refresh(self, *, clear_quick: bool = False) -> None:
        """Rebuild the marks around the visible text (after an analysis, a theme or a scroll)."""
        if clear_quick:
            self.quick.set([])
        a, b = self.visible_range()
        self.window = (max(0, a - self.MARGIN), b + self.MARGIN)
        self._apply()

    @Slot()
    def _apply(self) -> None:
        self._later.stop()
        a, b = self.window
        doc = self.editor.document()
        size = doc.characterCount() - 1
        selections: list[QTextEdit.ExtraSelection] = []
        # Inside an edit block a cursor skips computing its x position, which would lay out the
        # block: 30x faster, and an empty edit block leaves no undo step and no modification.
        guard = QTextCursor(doc)
        guard.beginEditBlock()
        try:
            covered: list[tuple[int, int]] = []
            for s, e, tag in self.spans.overlapping(a, b):
                selections.append(self._selection(doc, s, e, size, tag[0]))
                covered.append((s, e))
            for s, e, _ in self.quick.overlapping(a, b):
                if not any(cs < e and s < ce for cs, ce in covered):
                    selections.append(self._selection(doc, s, e, size, "unchecked"))
        finally:
            guard.endEditBlock()
        self.editor.setExtraSelections(selections)

    def _selection(self, doc, s: int, e: int, size: int,  # noqa: ANN001
                   verdict: str) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(doc)
        cursor.setPosition(min(s, size))
        cursor.setPosition(min(e, size), QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = self.formats.get(verdict, self.formats["unchecked"])
        return sel

    def marks(self) -> list[tuple[int, int, str]]:
        """(start, end, verdict) of every mark now shown, in UTF-16 positions (for tests)."""
        out = []
        for sel in self.editor.extraSelections():
            verdict = next((v for v, f in self.formats.items() if f == sel.format), "?")
            out.append((sel.cursor.selectionStart(), sel.cursor.selectionEnd(), verdict))
        return sorted(out)

    # -- following the text and the view ---------------------------------------------------
    @Slot(int, int, int)
    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        self.quick.apply_edit(pos, removed, added)
        a, b = self.window
        delta = added - removed
        self.window = (a, b + delta) if pos < b else self.window
        # A mark's cursor grows with text typed right after it; the span it shows does not.
        stale = added > 0 and self._ends_at(pos)
        # Links typed since the last analysis, in the edited block only.
        block = self.editor.document().findBlock(pos)
        text = block.text()
        if not ("](" in text or "http" in text):
            if stale:
                self._later.start()
            return
        if block.userState() in CODE_STATES or is_fence_line(text):
            if stale:
                self._later.start()
            return
        base = block.position()
        found = []
        ascii_text = text.isascii()
        for m in QUICK_LINK_RE.finditer(text):
            s, e = m.start(), m.end()
            if not ascii_text:
                s, e = utf16_len(text[:s]), utf16_len(text[:e])
            s, e = base + s, base + e
            if not any(ss <= s and e <= se for ss, se, _ in self.spans.overlapping(s, e)):
                found.append((s, e, "unchecked"))
        end = base + block.length()
        old = [(s, e, t) for s, e, t in self.quick.overlapping(base, end)]
        if found == old:
            if stale:
                self._later.start()
            return  # nothing new: the marks already move with the text
        keep = [(s, e, t) for s, e, t in self.quick.spans() if e <= base or s >= end]
        self.quick.set(keep + found)
        self._later.start()

    def _ends_at(self, pos: int) -> bool:
        return any(e == pos for _, e, _ in self.spans.overlapping(pos - 1, pos)) or any(
            e == pos for _, e, _ in self.quick.overlapping(pos - 1, pos))

    @Slot()
    def _on_view_moved(self) -> None:
        a, b = self.visible_range()
        wa, wb = self.window
        if a < wa or b > wb:
            self.refresh()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._on_view_moved()
        return False
