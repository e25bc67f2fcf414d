"""Per-block link colouring from the latest analysis spans.

The highlighter never parses the document: it looks up the spans (kept current through edits
by SpanIndex) that cross the block. A block-local regex colours links typed since the last
analysis as "unchecked", and fenced code is tracked in the block state so code is left alone.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from linkwriter.gui.spans import SpanIndex
from linkwriter.gui.theme import Theme

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Links typed since the last analysis: inline "[..](..)", autolinks, bare URLs.
QUICK_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<https?://[^>\s]+>"
                           r"|https?://[^\s<>()\[\]]+")

NORMAL, IN_BACKTICK_FENCE, IN_TILDE_FENCE = 0, 1, 2


def utf16_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-16-le")) // 2


class LinkHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, spans: SpanIndex, theme: Theme) -> None:
        self.spans = spans
        self.formats: dict[str, QTextCharFormat] = {}
        self.set_theme(theme, rehighlight=False)
        super().__init__(document)

    def set_theme(self, theme: Theme, rehighlight: bool = True) -> None:
        from PySide6.QtGui import QColor

        fmts: dict[str, QTextCharFormat] = {}
        styles = {
            "ok": QTextCharFormat.UnderlineStyle.SingleUnderline,
            "unchecked": QTextCharFormat.UnderlineStyle.DotLine,
            "info": QTextCharFormat.UnderlineStyle.DashUnderline,
            "warning": QTextCharFormat.UnderlineStyle.WaveUnderline,
            "error": QTextCharFormat.UnderlineStyle.WaveUnderline,
        }
        for verdict, style in styles.items():
            f = QTextCharFormat()
            f.setForeground(QColor(theme.error if verdict == "error" else theme.link))
            f.setUnderlineStyle(style)
            f.setUnderlineColor(theme.verdict_color(verdict))
            fmts[verdict] = f
        code = QTextCharFormat()
        code.setForeground(QColor(theme.unchecked))
        fmts["code"] = code
        self.formats = fmts
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        prev = self.previousBlockState()
        state = prev if prev in (IN_BACKTICK_FENCE, IN_TILDE_FENCE) else NORMAL
        fence = FENCE_RE.match(text) if "``" in text or "~~" in text else None
        if fence:
            kind = IN_BACKTICK_FENCE if fence.group(1)[0] == "`" else IN_TILDE_FENCE
            state = kind if state == NORMAL else (NORMAL if state == kind else state)
            self.setCurrentBlockState(state)
            self.setFormat(0, utf16_len(text), self.formats["code"])
            return
        self.setCurrentBlockState(state)
        if state != NORMAL:
            self.setFormat(0, utf16_len(text), self.formats["code"])
            return
        block = self.currentBlock()
        pos = block.position()
        end = pos + block.length() - 1
        covered: list[tuple[int, int]] = []
        for s, e, tag in self.spans.overlapping(pos, end + 1):
            a, b = max(s, pos), min(e, end)
            if b > a:
                self.setFormat(a - pos, b - a, self.formats[tag[0]])
                covered.append((a - pos, b - pos))
        if "](" in text or "http" in text:
            ascii_text = text.isascii()
            for m in QUICK_LINK_RE.finditer(text):
                a, b = m.start(), m.end()
                if not ascii_text:
                    a, b = utf16_len(text[:a]), utf16_len(text[:b])
                if not any(ca < b and a < cb for ca, cb in covered):
                    self.setFormat(a, b - a, self.formats["unchecked"])
