"""Narrow repaints: typing repaints the changed lines only, and never leaves stale pixels."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from linkwriter.gui.repaint import LineRepaint, changed_lines

pytest.importorskip("linkwriter.core.extract")

WORDS = ["read", "the", "starter", "guide", "and", "then", "bake", "a", "loaf", "with", "rye",
         "flour", "water", "salt"]


def test_changed_lines_compares_lines_before_at_and_after_the_edit() -> None:
    old = [(0, 40), (40, 40), (80, 40), (120, 10)]
    # One letter typed at 45: only the second line changed, the others just moved along.
    assert changed_lines(old, [(0, 40), (40, 41), (81, 40), (121, 10)], 45, 0, 1) == (1, 1)
    # The letter pushed a word down: the second and third lines changed, the last did not.
    assert changed_lines(old, [(0, 40), (40, 37), (77, 44), (121, 10)], 45, 0, 1) == (1, 2)
    # A letter typed at the very start of a line belongs to it.
    assert changed_lines(old, [(0, 40), (40, 41), (81, 40), (121, 10)], 40, 0, 1) == (1, 1)
    # ...unless the line before took it.
    assert changed_lines(old, [(0, 41), (41, 40), (81, 40), (121, 10)], 40, 0, 1) == (0, 0)
    # A deletion at 80 (the third line's first letter): the third line changed.
    assert changed_lines(old, [(0, 40), (40, 40), (80, 39), (119, 10)], 80, 1, 0) == (2, 2)
    # A different number of lines: every line.
    assert changed_lines(old, [(0, 40), (40, 40), (80, 40), (120, 40), (160, 1)],
                         100, 0, 31) == (0, 4)


class PaintRects(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects = []

    def eventFilter(self, obj, event):  # noqa: N802, ANN001
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def _long_paragraph(n: int, seed: int = 3) -> str:
    rnd = random.Random(seed)
    words = [rnd.choice(WORDS) for _ in range(n)]
    for i in range(7, n, 23):
        words[i] = f"[{words[i]} guide](https://example.com/{i})"
    return " ".join(words)


def test_a_letter_typed_mid_paragraph_repaints_about_one_line(make_window, qtbot, wait_fresh):
    win = make_window()
    win.resize(1000, 700)
    win.editor.setPlainText("Intro.\n\n" + _long_paragraph(260) + "\n\nAfter.\n")
    wait_fresh(win)
    block = win.editor.document().findBlockByNumber(2)
    assert block.layout().lineCount() >= 10
    line = block.layout().lineAt(4)
    cursor = win.editor.textCursor()
    cursor.setPosition(block.position() + line.textStart() + 3)
    win.editor.setTextCursor(cursor)
    qtbot.wait(30)
    rects = PaintRects()
    win.editor.viewport().installEventFilter(rects)
    heights = []
    for ch in "xyz":
        rects.rects.clear()
        qtbot.keyClick(win.editor, ch)
        QApplication.processEvents()
        assert rects.rects, "the edit was not painted"
        heights.append(max(r.height() for r in rects.rects))
    block_height = win.editor.blockBoundingRect(block).height()
    # Qt alone repaints the whole 10+ line paragraph on each keystroke.
    assert min(heights) < 3 * line.height() < block_height / 3


def _grab(win) -> QImage:  # noqa: ANN001
    """What is on screen now: the window's backing store, not a fresh rendering."""
    return QGuiApplication.primaryScreen().grabWindow(win.winId()).toImage()


def _shown_and_current(win) -> tuple[QImage, bool]:  # noqa: ANN001
    """What is on screen, and whether a full repaint of the editor leaves it as it was."""
    shown = _grab(win)
    win.editor.viewport().repaint()
    return shown, _grab(win) == shown


@pytest.fixture
def steady_cursor():
    app = QApplication.instance()
    old = app.cursorFlashTime()
    app.setCursorFlashTime(0)  # a blink between two grabs is not a stale pixel
    yield
    app.setCursorFlashTime(old)


def test_narrow_repaints_leave_the_screen_as_a_full_repaint_would(
        make_window, qtbot, wait_fresh, steady_cursor):
    win = make_window()
    win.resize(900, 700)
    paras = [_long_paragraph(120 + 20 * i, seed=i) for i in range(3)]
    win.editor.setPlainText("# Title\n\n" + "\n\n".join(paras) + "\n")
    wait_fresh(win)
    editor = win.editor
    rnd = random.Random(11)
    typed = ["a", "e", " ", " ", "w", "Backspace", "Delete", "paste", "😀", "漢", "ש", "Return"]
    mismatches = []
    for step in range(120):
        cursor = editor.textCursor()
        if step % 12 == 0:  # a new place: a random spot in one of the long paragraphs
            block = editor.document().findBlockByNumber(2 * rnd.randrange(1, 4))
            cursor.setPosition(block.position() + rnd.randrange(block.length() - 1))
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()
        key = rnd.choice(typed)
        if key == "paste":
            cursor.insertText(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 12))))
        elif not key.isascii():  # QTest can't type a character outside Latin-1
            cursor.insertText(key)
        elif key in ("Backspace", "Delete", "Return"):
            qtbot.keyClick(editor, getattr(Qt.Key, f"Key_{key}"))
        else:
            qtbot.keyClicks(editor, key)
        QApplication.processEvents()
        shown, current = _shown_and_current(win)
        if not current:
            mismatches.append((step, key))
        if step % 10 == 9:
            # The kept glyphs of the cursor's paragraph draw what a fresh shaping would.
            layout = editor.textCursor().block().layout()
            assert layout.cacheEnabled()
            layout.setCacheEnabled(False)
            block = editor.textCursor().block()
            editor.document().markContentsDirty(block.position(), block.length())
            QApplication.processEvents()
            editor.viewport().repaint()
            if _grab(win) != shown:
                mismatches.append((step, "relayout"))
            layout.setCacheEnabled(True)
    assert not mismatches, f"stale pixels after {mismatches}"
    assert isinstance(editor.line_repaint, LineRepaint)


def test_a_new_line_repaints_from_that_line_down_and_nothing_above(
        make_window, qtbot, wait_fresh, steady_cursor):
    """Typing at the end of a paragraph wraps it onto a new line every line or so: what is
    below moves down, what is above does not, and only that part is repainted."""
    win = make_window()
    win.resize(900, 700)
    win.editor.setPlainText("Intro.\n\n" + _long_paragraph(40) + "\n\n" + _long_paragraph(80)
                            + "\n\nThe end.\n")
    wait_fresh(win)
    editor = win.editor
    block = editor.document().findBlockByNumber(2)
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + block.length() - 1)
    editor.setTextCursor(cursor)
    qtbot.wait(30)
    rects = PaintRects()
    editor.viewport().installEventFilter(rects)
    wraps, stale = 0, []
    for i in range(400):
        lines = block.layout().lineCount()
        rects.rects.clear()
        qtbot.keyClicks(editor, "word "[i % 5])
        QApplication.processEvents()
        if block.layout().lineCount() != lines:
            wraps += 1
            top = editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top()
            assert min(r.top() for r in rects.rects) > top  # the lines above were not redrawn
            assert max(r.bottom() for r in rects.rects) >= editor.viewport().height() - 1
        if not _shown_and_current(win)[1]:
            stale.append(i)
    assert wraps >= 3
    assert not stale, f"stale pixels after keystrokes {stale}"


def test_splitting_and_joining_paragraphs_repaints_what_moved(
        make_window, qtbot, wait_fresh, steady_cursor):
    win = make_window()
    win.resize(900, 700)
    win.editor.setPlainText("Intro.\n\n" + _long_paragraph(60) + "\n\n" + _long_paragraph(60, 4)
                            + "\n")
    wait_fresh(win)
    editor = win.editor
    block = editor.document().findBlockByNumber(2)
    stale = []
    for offset in (5, 120, 250, block.length() - 1):
        cursor = editor.textCursor()
        cursor.setPosition(block.position() + offset)
        editor.setTextCursor(cursor)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Backspace, Qt.Key.Key_Return,
                    Qt.Key.Key_Delete, Qt.Key.Key_Delete):
            qtbot.keyClick(editor, key)
            QApplication.processEvents()
            if not _shown_and_current(win)[1]:
                stale.append((offset, key))
        block = editor.document().findBlockByNumber(2)
    assert not stale, f"stale pixels after {stale}"


def test_only_the_cursor_paragraph_keeps_its_glyphs(make_window, qtbot):
    win = make_window()
    win.editor.setPlainText("First paragraph.\n\nSecond paragraph.\n")
    doc = win.editor.document()
    first, second = doc.findBlockByNumber(0), doc.findBlockByNumber(2)
    cursor = win.editor.textCursor()
    cursor.setPosition(3)
    win.editor.setTextCursor(cursor)
    assert first.layout().cacheEnabled() and not second.layout().cacheEnabled()
    cursor.setPosition(second.position() + 2)
    win.editor.setTextCursor(cursor)
    assert second.layout().cacheEnabled() and not first.layout().cacheEnabled()
