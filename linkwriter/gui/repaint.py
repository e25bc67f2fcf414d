"""Repaint only the lines an edit changed, not the whole paragraph or the whole view.

Qt answers a keystroke by repainting the whole block (paragraph) it was typed in, at every
keystroke. A 1,200-character paragraph is 13 lines of text and link marks drawn again for each
letter, about half of the time a keystroke takes. Usually one line changed: the others kept
their text, their place and their wrap. And when a keystroke makes a paragraph one line longer
or shorter (about once a line when writing at its end), Qt repaints the whole view, though
only the text from that line down has moved.

So the editor takes over the layout's updateBlock and update signals (Qt's only use of them is
those repaints) and repaints what changed. It compares the lines Qt had laid out before the
edit (still there when contentsChange is emitted: the layout is redone after it, and
contentsChanged comes last) with those after. Whenever the comparison can't be trusted it
repaints what Qt would: several changes before one update, right-to-left text (a new first
letter can flip every line's direction), an edit in the first visible block or above it.
(QPlainTextEdit's updateRequest signal is not emitted for these repaints; nothing listens to it.)
"""

from __future__ import annotations

import re
import warnings

from PySide6.QtCore import QObject, QRect, QRectF, Slot
from PySide6.QtGui import QTextBlock, QTextLayout
from PySide6.QtWidgets import QPlainTextEdit

Line = tuple[int, int]  # text start, text length
# Before an edit: (position, chars removed, chars added, its block's position and height, and
# that block's lines). Removed is -1 when several changes came before one update.
Edit = tuple[int, int, int, int, float, list[Line]]

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


def first_changed_line(old: list[Line], new: list[Line], start: int) -> int:
    """Index of the first new line that is not an unchanged line before the edit at `start`."""
    for i, (o, n) in enumerate(zip(old, new, strict=False)):
        if o[0] + o[1] > start or o != n:
            return i
    return min(len(old), len(new))


def _disconnect_all(signal) -> bool:  # noqa: ANN001
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySide warns when nothing was connected
        try:
            return bool(signal.disconnect())
        except (RuntimeError, TypeError, SystemError):
            return False


class LineRepaint(QObject):
    """Owns the editor's block repaints; see the module docstring."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self._edit: Edit | None = None
        doc = editor.document()
        doc.contentsChange.connect(self._on_contents_change)
        doc.contentsChanged.connect(self._on_edit_done)  # emitted after the layout's update
        # The editor keeps its document (and so this layout) for its whole life. Where Qt's
        # own handling (QWidgetTextControl's) can't be taken off, it stays as it is.
        layout = doc.documentLayout()
        if _disconnect_all(layout.updateBlock):
            layout.updateBlock.connect(self._on_update_block)
        if _disconnect_all(layout.update):
            layout.update.connect(self._on_update)

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

    @Slot(QRectF)
    def _on_update(self, _rect: QRectF) -> None:
        """The layout's "everything may have moved" (its rect is always the whole document):
        an edit changed a block's height or the number of blocks. Only the text from the
        edit's first changed line down can have moved, so that is repainted; after anything
        else, the whole view, as Qt would."""
        edit, self._edit = self._edit, None
        viewport = self.editor.viewport()
        top = self._moved_from(edit)
        if top is None:
            viewport.update()
        else:
            viewport.update(QRect(0, top, viewport.width(), viewport.height() - top))

    def _trusted(self, block: QTextBlock, edit: Edit | None) -> Edit | None:
        """The edit's record if it happened in this block and its lines can be compared."""
        if edit is None:
            return None
        pos, removed, _added, base, _height, old = edit
        if removed < 0 or base != block.position() or not old:
            return None
        if not base <= pos <= base + block.length():
            return None
        text = block.text()
        if not text.isascii() and _BIDI_RE.search(text):
            return None
        return edit

    def _moved_from(self, edit: Edit | None) -> int | None:
        """Viewport y from which an edit's changes may show, or None if that is unclear."""
        editor = self.editor
        block = editor.document().findBlock(edit[0]) if edit is not None else QTextBlock()
        edit = self._trusted(block, edit)
        # Inside or above the first visible block, an edit can move the text at the top.
        if edit is None or block.blockNumber() <= editor.firstVisibleBlock().blockNumber():
            return None
        pos, _removed, _added, base, _height, old = edit
        layout = block.layout()
        first = min(first_changed_line(old, _lines(layout), pos - base), layout.lineCount() - 1)
        geo = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
        line_top = geo.top() + (layout.lineAt(first).y() if first >= 0 else 0.0)
        return max(0, int(line_top) - _MARGIN)

    def _narrowed(self, block: QTextBlock, edit: Edit | None) -> tuple[int, int] | None:
        """The changed lines, or None for "repaint the whole block"."""
        edit = self._trusted(block, edit)
        layout = block.layout()
        if edit is None or layout.boundingRect().height() != edit[4]:
            return None
        pos, removed, added, base, _height, old = edit
        return changed_lines(old, _lines(layout), pos - base, removed, added)
