"""The Suggestions dock: it follows the link under the cursor, and a lead-in is one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytest.importorskip("linkwriter.core.suggest")


def test_dock_fills_for_the_link_under_the_cursor_and_applies_a_lead_in(
        make_window, qtbot, wait_fresh):
    """With the dock open and the cursor in a link, the dock shows the link, its intent and
    lead-ins; "Apply lead-in" inserts the chosen one as ONE undo step."""
    win = make_window()
    original = "# Bread\n\nRead [the rye guide](https://example.com/rye) today.\n"
    win.editor.setPlainText(original)
    wait_fresh(win)
    dock = win.suggestions
    assert dock.isVisible() and dock.view is None and not dock.apply_button.isEnabled()
    cursor = win.editor.textCursor()
    cursor.setPosition(original.index("rye guide"))
    win.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: dock.view is not None and dock.list.count() > 0, timeout=30_000)
    assert dock.view.link_index == 0 and dock.view.revision == win.result.revision
    assert "the rye guide" in dock.link_label.text()
    assert "https://example.com/rye" in dock.link_label.text()
    assert "Intent:" in dock.intent_label.text() and dock.view.intent in dock.intent_label.text()
    titles = [dock.list.item(i).text() for i in range(dock.list.count())]
    assert titles == [f.title for f in dock.view.fixes] and len(titles) >= 2
    chosen = dock.view.fixes[1]
    dock.list.setCurrentRow(1)
    assert dock.apply_button.isEnabled()
    qtbot.mouseClick(dock.apply_button, Qt.MouseButton.LeftButton)
    assert win.text() == chosen.apply(original) != original
    win.editor.undo()
    assert win.text() == original
