"""Repaint only the lines an edit changed, not the whole paragraph.

Qt answers a keystroke by repainting the whole block (paragraph) it was typed in, at every
keystroke. A 1,200-character paragraph is 13 lines of text and link marks drawn again for each
letter, about half of the time a keystroke takes. Usually one line changed: the others kept
their text, their place and their wrap.

So the editor takes over the layout's updateBlock signal (Qt's only use of it is that
whole-block repaint) and repaints the lines whose text, place or size changed. It compares the
lines Qt had laid out before the edit (still there when contentsChange is emitted: the layout
is redone after it, and contentsChanged comes last) with those after. Whenever the comparison
can't be trusted it repaints the whole block, as Qt would: several changes before one update,
right-to-left text (a new first letter can flip every line's direction), a changed line count.
(QPlainTextEdit's updateRequest signal is not emitted for these repaints; nothing listens to it.)
"""

from __future__ import annotations

import re
import warnings

from PySide6.QtCore import QObject, QRect, Slot
from PySide6.QtGui import QTextBlock, QTextLayout
from PySide6.QtWidgets import QPlainTextEdit

Line = tuple[int, int]  # text start, text length

# Text whose lines may be laid out right to left, or reordered: strong RTL letters and
# directional controls. Kept simple and broad: a false hit only costs a whole-block repaint.
_BIDI_RE = re.compile("[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff"
                      "\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_MARGIN = 3  # pixels above and below the changed lines, for underlines and antialiasing


def _lines(layout: QTextLayout) -> list[Line]:
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    return [(line.textStart(), line.textLength()) for line in lines]


def changed_lines(old: list[Line], new: list[Line], start: int, removed: int,
                  added: int) -> tuple[int, int] | None:
    """First and last index of the new lines that differ from the old ones (None: none do).

    `start`, `removed`, `added` describe the edit within the block. A line before the edit
    must be unchanged; a line after it must be unchanged but for the shift by added-removed;
    a line touching the edit has changed. Different line counts: every line has changed.
    Lines with the same text keep their place and size as long as the block's height and text
    direction stay the same; the caller checks both.
    """
    if len(old) != len(new):
        return (0, len(new) - 1) if new else None
    delta = added - removed
    differ = []
    for i, (o, n) in enumerate(zip(old, new, strict=True)):
        s, length = o[0], o[1]
        if s + length <= start and o == n:
            continue
        if s >= start + removed and (s + delta, length) == n:
            continue
        differ.append(i)
    return (differ[0], differ[-1]) if differ else None


class LineRepaint(QObject):
    """Owns the editor's block repaints; see the module docstring."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        # (position, removed, added, block position, block height, lines) before the edit
        self._edit: tuple[int, int, int, int, float, list[Line]] | None = None
        doc = editor.document()
        doc.contentsChange.connect(self._on_contents_change)
        doc.contentsChanged.connect(self._on_edit_done)  # emitted after the layout's update
        # The editor keeps its document (and so this layout) for its whole life. If Qt's
        # whole-block repaint (QWidgetTextControl's) can't be taken off, it stays as it is.
        layout = doc.documentLayout()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PySide warns when nothing was connected
            try:
                taken = bool(layout.updateBlock.disconnect())
            except (RuntimeError, TypeError, SystemError):
                taken = False
        if taken:
            layout.updateBlock.connect(self._on_update_block)

    @Slot(int, int, int)
    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        if self._edit is not None:  # two changes before one update: don't try to be clever
            self._edit = (pos, -1, 0, 0, 0.0, [])
            return
        block = self.editor.document().findBlock(pos)
        layout = block.layout()
        self._edit = (pos, removed, added, block.position(), layout.boundingRect().height(),
                      _lines(layout))

    @Slot()
    def _on_edit_done(self) -> None:
        self._edit = None

    @Slot(QTextBlock)
    def _on_update_block(self, block: QTextBlock) -> None:
        edit, self._edit = self._edit, None
        geo = self.editor.blockBoundingGeometry(block).translated(self.editor.contentOffset())
        top, bottom = geo.top(), geo.bottom()
        span = self._narrowed(block, edit)
        if span is not None:
            first, last = span
            layout = block.layout()
            top = geo.top() + layout.lineAt(first).y()
            line = layout.lineAt(last)
            bottom = geo.top() + line.y() + line.height()
        viewport = self.editor.viewport()
        rect = QRect(0, int(top) - _MARGIN, viewport.width(),
                     int(bottom - top) + 2 * _MARGIN + 1).intersected(viewport.rect())
        if not rect.isEmpty():
            viewport.update(rect)

    def _narrowed(self, block: QTextBlock, edit) -> tuple[int, int] | None:  # noqa: ANN001
        """The changed lines, or None for "repaint the whole block"."""
        if edit is None:
            return None
        pos, removed, added, base, height, old = edit
        layout = block.layout()
        if removed < 0 or base != block.position() or not old:
            return None
        if layout.boundingRect().height() != height:
            return None
        if not base <= pos <= base + block.length():
            return None
        text = block.text()
        if not text.isascii() and _BIDI_RE.search(text):
            return None
        return changed_lines(old, _lines(layout), pos - base, removed, added)
