"""Link marks: coloured by verdict, carried by edits, and only near the visible text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject

pytest.importorskip("linkwriter.core.extract")


class PaintSizes(QObject):
    """Heights of the paint events the editor viewport receives."""

    def __init__(self) -> None:
        super().__init__()
        self.heights: list[int] = []

    def eventFilter(self, obj, event):  # noqa: N802, ANN001
        if event.type() == QEvent.Type.Paint:
            self.heights.append(event.rect().height())
        return False


def test_marks_follow_typing_without_reformatting_blocks(make_window, qtbot, wait_fresh):
    win = make_window()
    text = "Intro line.\n\nRead [the guide](https://bit.ly/x) and [docs](https://example.com/d).\n"
    win.editor.setPlainText(text)
    wait_fresh(win)
    marks = win.marks.marks()
    assert [(s, e) for s, e, _ in marks] == [(18, 47), (52, 81)]
    assert marks[0][2] == "warning"  # a shortener
    block = win.editor.document().findBlockByNumber(2)
    cursor = win.editor.textCursor()
    cursor.setPosition(block.position())
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "Now ")
    # The marks moved with the text, and no block carries layout formats (which would make
    # Qt repaint the whole viewport on every keystroke).
    assert [(s, e) for s, e, _ in win.marks.marks()] == [(22, 51), (56, 85)]
    assert block.layout().formats() == []
    # Typing right after a link does not stretch its mark.
    cursor.setPosition(51)
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "!!")
    qtbot.waitUntil(lambda: win.marks.marks()[0][:2] == (22, 51), timeout=2000)


def test_typing_in_a_paragraph_repaints_only_that_paragraph(make_window, qtbot, wait_fresh):
    win = make_window()
    para = " ".join(f"Word [link {i}](https://example.com/{i})" for i in range(6))
    win.editor.setPlainText("\n\n".join([para] * 30))
    wait_fresh(win)
    qtbot.wait(50)
    sizes = PaintSizes()
    win.editor.viewport().installEventFilter(sizes)
    cursor = win.editor.textCursor()
    cursor.setPosition(5)
    win.editor.setTextCursor(cursor)
    qtbot.wait(20)
    sizes.heights.clear()
    qtbot.keyClick(win.editor, "x")
    qtbot.wait(20)
    assert sizes.heights, "the edit was not painted"
    assert max(sizes.heights) < win.editor.viewport().height() / 2


def test_only_links_near_the_view_are_marked_and_scrolling_marks_more(
        make_window, qtbot, wait_fresh):
    win = make_window()
    lines = [f"Line {i} with [a link](https://example.com/{i}) in it." for i in range(3000)]
    win.editor.setPlainText("\n\n".join(lines))
    wait_fresh(win)
    total = win.result.link_count
    shown = win.marks.marks()
    assert 0 < len(shown) < total
    bar = win.editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    last_link = win.editor.spans.spans()[-1]
    assert last_link[:2] in {(s, e) for s, e, _ in win.marks.marks()}


def test_a_typed_link_is_marked_unchecked_at_once(make_window, qtbot, wait_fresh):
    win = make_window()
    wait_fresh(win)
    win.analyzer.shutdown()  # no analysis will come: the mark is the editor's own
    qtbot.keyClicks(win.editor, "See https://example.org/new now")
    qtbot.waitUntil(lambda: win.marks.marks() == [(4, 27, "unchecked")], timeout=2000)


def test_status_texts_change_without_moving_or_overlapping(make_window, qtbot, wait_fresh):
    """The status labels change on every pause in typing: they must not re-layout the window
    (a whole-window repaint per keystroke burst) nor draw over each other."""
    win = make_window()
    win.editor.setPlainText("A [link](https://bit.ly/x) here.\n")
    wait_fresh(win)
    counts, state = win.counts_label, win.state_label
    before = (counts.geometry(), state.geometry())
    qtbot.keyClicks(win.editor, "typing")
    win.request_analysis()  # what the pause in typing starts
    assert state.text() == "Checking…"
    qtbot.wait(10)
    assert (counts.geometry(), state.geometry()) == before
    assert counts.geometry().right() < state.geometry().left()
    assert counts.fontMetrics().horizontalAdvance(counts.text()) <= counts.width()
