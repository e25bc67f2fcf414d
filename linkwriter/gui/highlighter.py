"""Per-block colouring of fenced code; links are coloured by LinkMarks (linkmarks.py).

Only code fences live here, tracked in the block state so a fence opened far above is
known without a re-parse. Links are not formatted here on purpose: any block format in Qt
(QTextLayout.setFormats) makes QPlainTextEdit repaint the whole viewport on every keystroke in
that block, and in a link-dense post that is nearly every block.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from linkwriter.gui.theme import Theme

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

NORMAL, IN_BACKTICK_FENCE, IN_TILDE_FENCE = 0, 1, 2
CODE_STATES = (IN_BACKTICK_FENCE, IN_TILDE_FENCE)


def utf16_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-16-le")) // 2


def is_fence_line(text: str) -> bool:
    return ("``" in text or "~~" in text) and FENCE_RE.match(text) is not None


class CodeHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, theme: Theme) -> None:
        self.code = QTextCharFormat()
        self.set_theme(theme, rehighlight=False)
        super().__init__(document)

    def set_theme(self, theme: Theme, rehighlight: bool = True) -> None:
        code = QTextCharFormat()
        code.setForeground(QColor(theme.unchecked))
        self.code = code
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        prev = self.previousBlockState()
        state = prev if prev in CODE_STATES else NORMAL
        fence = FENCE_RE.match(text) if "``" in text or "~~" in text else None
        if fence:
            kind = IN_BACKTICK_FENCE if fence.group(1)[0] == "`" else IN_TILDE_FENCE
            state = kind if state == NORMAL else (NORMAL if state == kind else state)
            self.setCurrentBlockState(state)
            self.setFormat(0, utf16_len(text), self.code)
            return
        self.setCurrentBlockState(state)
        if state != NORMAL:
            self.setFormat(0, utf16_len(text), self.code)
