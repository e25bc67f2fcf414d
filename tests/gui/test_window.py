"""The main window as a whole: the object names other code relies on, and results of a text
that has moved on."""

from __future__ import annotations

import pytest

pytest.importorskip("linkwriter.core.rules")


def test_public_object_names_find_the_right_widgets(make_window):
    """objectNames are a contract (style sheets, UI automation, screenshots): each finds the
    window's own widget, of the right kind, and only that one."""
    from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

    from linkwriter.gui.editor import MarkdownEditor
    from linkwriter.gui.suggestions_panel import SuggestionsPanel
    from linkwriter.gui.warnings_panel import WarningsPanel

    win = make_window()
    editor = win.findChild(QPlainTextEdit, "editor")
    warnings = win.findChild(QDockWidget, "warningsPanel")
    suggestions = win.findChild(QDockWidget, "suggestionsPanel")
    assert isinstance(editor, MarkdownEditor) and editor is win.editor
    assert isinstance(warnings, WarningsPanel) and warnings is win.warnings
    assert isinstance(suggestions, SuggestionsPanel) and suggestions is win.suggestions
    for name in ("editor", "warningsPanel", "suggestionsPanel"):
        assert len(win.findChildren(QWidget, name)) == 1, name


def test_a_result_for_an_older_revision_changes_nothing_and_a_fresh_one_follows(
        make_window, qtbot, wait_fresh):
    """A result whose revision is behind the text is dropped: the shown result, the link
    spans, the panel and the counts stay; the window asks for the current text instead."""
    from linkwriter.gui.pipeline import build_result

    win = make_window()
    text = "Read [the guide](https://bit.ly/x) today.\n"
    win.editor.setPlainText(text)
    wait_fresh(win)
    shown = win.result
    before = (win.editor.spans.spans(), list(win.keys), sorted(win.warnings.model.rows),
              list(win.marks.marks()), win.counts_label.text())
    other = "# Other\n\nSee [a](http://example.com/a?utm_source=x) and [b](https://example.org/b).\n"
    stale = build_result(shown.revision - 1, other, win.config)
    assert stale.link_count == 2 and stale.findings  # it would show, if it were taken
    with qtbot.waitSignal(win.analysisApplied, timeout=30_000):
        win.analyzer.finished.emit(stale)  # delivered as the Analyzer delivers results
        assert win.result is shown
        assert (win.editor.spans.spans(), win.keys, sorted(win.warnings.model.rows),
                list(win.marks.marks()), win.counts_label.text()) == before
        assert win.analyzer.busy  # the current text is being analysed again
    assert win.result is not shown and win.result.revision == win.revision
    assert win.result.text == text and win.keys == before[1]
