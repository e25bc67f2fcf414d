"""Links in the real editor: highlighting, selecting findings, fixes as single undo steps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat

pytest.importorskip("linkwriter.core.extract")
pytest.importorskip("linkwriter.core.rules")

WAVE = QTextCharFormat.UnderlineStyle.WaveUnderline


def block_formats(win, line: int):
    """(start in block, length, underline) of the link marks shown on that line."""
    block = win.editor.document().findBlockByNumber(line)
    base, end = block.position(), block.position() + block.length()
    return [(s - base, e - s, win.marks.formats[v].underlineStyle())
            for s, e, v in win.marks.marks() if base <= s < end]


def keys_for(win, rule: str) -> list[str]:
    return [k for k, f in win.findings_by_key.items() if f.rule == rule]


def test_typing_rehighlights_the_link(make_window, qtbot, wait_fresh):
    win = make_window()
    wait_fresh(win)
    qtbot.keyClicks(win.editor, "See [click here](http://example.com/page) now")
    # At once (before any analysis) the typed link is coloured as unchecked...
    qtbot.waitUntil(lambda: any(
        start == 4 and length == len("[click here](http://example.com/page)")
        for start, length, _ in block_formats(win, 0)), timeout=1000)
    # ...and once the analysis lands, with the verdict: wavy underline for warnings.
    wait_fresh(win)
    fmts = block_formats(win, 0)
    link = [f for start, length, f in fmts if start == 4]
    assert link and link[0] == WAVE
    # Editing the anchor keeps the span attached to the link.
    cursor = win.editor.textCursor()
    cursor.setPosition(5)
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "please ")
    qtbot.waitUntil(lambda: any(
        start == 4 and length == len("[please click here](http://example.com/page)")
        for start, length, _ in block_formats(win, 0)), timeout=1000)


def test_clicking_a_finding_after_emoji_and_cjk_selects_exactly_the_link(
        make_window, qtbot, wait_fresh):
    win = make_window()
    prefix = "Emoji 🍞🥖 and 中文 text 𝒳 then "
    link = "[click here](https://bit.ly/3xSourdough)"
    win.editor.setPlainText(f"# Title\n\n{prefix}{link} end.\n")
    wait_fresh(win)
    key = keys_for(win, "url-shortener")[0]
    win.warnings.select_key(key)
    index = win.warnings.view.currentIndex()
    rect = win.warnings.view.visualRect(index)
    qtbot.mouseClick(win.warnings.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    cursor = win.editor.textCursor()
    assert cursor.selectedText() == link
    # UTF-16 positions: 3 astral characters before the link count twice.
    expected_start = len("# Title\n\n") + len(prefix) + 3
    assert cursor.selectionStart() == expected_start
    assert cursor.selectionEnd() == expected_start + len(link)


def test_f8_walks_findings_in_text_order(make_window, qtbot, wait_fresh):
    win = make_window()
    win.editor.setPlainText("A [one](https://bit.ly/a) and B [two](https://tinyurl.com/b).\n")
    wait_fresh(win)
    win.editor.moveCursor(win.editor.textCursor().MoveOperation.Start)
    qtbot.keyClick(win.editor, Qt.Key.Key_F8)
    assert win.editor.textCursor().selectedText() == "[one](https://bit.ly/a)"
    qtbot.keyClick(win.editor, Qt.Key.Key_F8)
    assert win.editor.textCursor().selectedText() == "[two](https://tinyurl.com/b)"
    qtbot.keyClick(win.editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert win.editor.textCursor().selectedText() == "[one](https://bit.ly/a)"
    assert win.warnings.current_key() is not None


def test_each_fix_is_one_undo_step(make_window, qtbot, wait_fresh, tmp_path):
    from linkwriter.core.resources import resource_path

    original = resource_path("sample-post.md").read_text(encoding="utf-8")
    win = make_window()
    win.editor.setPlainText(original)
    wait_fresh(win)
    fixable = [(k, f) for k, f in win.findings_by_key.items() if f.fixes]
    assert fixable, "the sample post should offer fixes"
    for key, finding in fixable:
        wait_fresh(win)
        current = win.findings_by_key.get(key)
        if current is None:
            continue
        before = win.text()
        assert win.apply_fixes([current.fixes[0]])
        after = win.text()
        assert after == current.fixes[0].apply(before)
        win.editor.undo()
        assert win.text() == before, f"undo of {finding.rule} did not restore the text"
        win.editor.redo()
        assert win.text() == after
        win.editor.undo()
    assert win.text() == original


def test_fix_refused_when_text_changed_underneath(make_window, qtbot, wait_fresh):
    win = make_window()
    win.editor.setPlainText("Go [here](http://example.com/?utm_source=x).\n")
    wait_fresh(win)
    f = next(f for f in win.findings_by_key.values() if f.fixes)
    fix = f.fixes[0]
    # Overwrite the fix's target before the fix is applied: it must not be applied blindly.
    cursor = win.editor.textCursor()
    cursor.setPosition(fix.start + 1)
    cursor.setPosition(fix.end - 1, cursor.MoveMode.KeepAnchor)
    cursor.insertText("zzz")
    changed = win.text()
    assert not win.apply_fixes([fix])
    assert win.text() == changed


def test_remove_link_keep_text_and_edit_link(make_window, qtbot, wait_fresh, monkeypatch):
    from linkwriter.gui import dialogs

    win = make_window()
    win.editor.setPlainText("Read [the guide](https://bit.ly/x) today.\n")
    wait_fresh(win)
    key = keys_for(win, "url-shortener")[0]
    monkeypatch.setattr(dialogs, "ask_edit_link",
                        lambda parent, text, url: ("the baking guide", "https://example.org/g"))
    win.run_action(key, "edit-link")
    assert win.text() == "Read [the baking guide](https://example.org/g) today.\n"
    win.editor.undo()
    assert win.text() == "Read [the guide](https://bit.ly/x) today.\n"
    wait_fresh(win)
    key = keys_for(win, "url-shortener")[0]
    win.run_action(key, "unlink")
    assert win.text() == "Read the guide today.\n"
    win.editor.undo()
    assert win.text() == "Read [the guide](https://bit.ly/x) today.\n"


def test_ignore_here_and_ignore_in_post_persist(make_window, qtbot, wait_fresh, tmp_path):
    post = tmp_path / "post.md"
    post.write_text("# T\n\nText [a](https://bit.ly/a) and [b](https://tinyurl.com/b).\n",
                    encoding="utf-8")
    win = make_window()
    win.open_path(post)
    wait_fresh(win)
    assert len(keys_for(win, "url-shortener")) == 2
    win.run_action(keys_for(win, "url-shortener")[0], "ignore-here")
    assert "<!-- linkwriter-ignore: url-shortener --> [a](https://bit.ly/a)" in win.text()
    wait_fresh(win)
    assert len(keys_for(win, "url-shortener")) == 1
    win.run_action(keys_for(win, "url-shortener")[0], "ignore-post")
    wait_fresh(win)
    assert keys_for(win, "url-shortener") == []
    assert win.save()
    saved = post.read_text(encoding="utf-8")
    assert "<!-- linkwriter-ignore-post: url-shortener -->" in saved
    # A new window on the saved file shows neither finding.
    other = make_window()
    other.open_path(post)
    wait_fresh(other)
    assert keys_for(other, "url-shortener") == []


def test_trust_domain_writes_user_config(make_window, qtbot, wait_fresh):
    from linkwriter.core.config import load_config, user_config_file

    win = make_window()
    win.editor.setPlainText("Text [a](https://bit.ly/a).\n")
    wait_fresh(win)
    win.run_action(keys_for(win, "url-shortener")[0], "trust-domain")
    assert user_config_file().is_file()
    assert "bit.ly" in load_config(None).trusted
    wait_fresh(win)
    assert keys_for(win, "url-shortener") == []
    other = make_window()
    other.editor.setPlainText("Text [a](https://bit.ly/a).\n")
    wait_fresh(other)
    assert keys_for(other, "url-shortener") == []


def test_rows_keep_selection_while_typing(make_window, qtbot, wait_fresh):
    win = make_window()
    win.editor.setPlainText("A [one](https://bit.ly/a) and B [two](https://tinyurl.com/b).\n")
    wait_fresh(win)
    key = keys_for(win, "url-shortener")[1]
    win.warnings.select_key(key)
    cursor = win.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "More words here.")
    wait_fresh(win)
    assert win.warnings.current_key() == key


def test_editor_context_menu_offers_fixes_for_the_link(make_window, qtbot, wait_fresh):
    from PySide6.QtWidgets import QMenu

    win = make_window()
    original = "Go [here](http://example.com/?utm_source=x) now.\n"
    win.editor.setPlainText(original)
    wait_fresh(win)
    menu = QMenu()
    win.add_link_actions(menu, 6)  # inside the link
    titles = [a.text() for a in menu.actions()]
    assert "Open Link in Browser" in titles and "Remove Link, Keep Text" in titles
    fix_titles = {fx.title for f in win.findings_by_key.values() for fx in f.fixes}
    fix_action = next(a for a in menu.actions() if a.text() in fix_titles)
    fix_action.trigger()
    assert win.text() != original
    win.editor.undo()
    assert win.text() == original
    empty = QMenu()
    win.add_link_actions(empty, len(original) - 2)  # outside any link
    assert empty.actions() == []


def test_hover_tooltip_and_ctrl_click_open_the_link(make_window, qtbot, wait_fresh):
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices

    class Catcher(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        @Slot(QUrl)
        def handle(self, url: QUrl) -> None:
            self.urls.append(url.toString())

    win = make_window()
    win.editor.setPlainText("Read [the guide](https://bit.ly/guide) first.\n")
    wait_fresh(win)
    tip = win._tooltip_at(8)
    assert "https://bit.ly/guide" in tip and "shortener" in tip.lower()
    assert win._tooltip_at(1) is None
    catcher = Catcher()
    QDesktopServices.setUrlHandler("https", catcher, "handle")
    try:
        cursor = win.editor.textCursor()
        cursor.setPosition(8)
        point = win.editor.cursorRect(cursor).center()
        qtbot.mouseClick(win.editor.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.ControlModifier, point)
        assert catcher.urls == ["https://bit.ly/guide"]
        qtbot.mouseClick(win.editor.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert catcher.urls == ["https://bit.ly/guide"]  # a plain click only moves the cursor
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_suggestions_follow_the_finding_selected_in_the_panel(make_window, qtbot, wait_fresh):
    """The Suggestions dock shows the link under the cursor, or the link of the finding
    selected in the panel (walked with the arrow keys, the cursor stays where it is) until
    the cursor moves again."""
    win = make_window()
    win.editor.setPlainText("Read [click here](https://bit.ly/a) first.\n\n"
                            "Then see [the rye guide](https://tinyurl.com/b) later.\n")
    wait_fresh(win)
    assert win.suggestions.isVisible()

    def showing(index: int) -> bool:
        view = win.suggestions.view
        return view is not None and view.link_index == index

    cursor = win.editor.textCursor()
    cursor.setPosition(8)  # inside the first link
    win.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: showing(0), timeout=20_000)
    win.warnings.select_key(keys_for(win, "url-shortener")[1])  # the second link's finding
    qtbot.waitUntil(lambda: showing(1), timeout=20_000)
    assert win.editor.textCursor().position() == 8
    cursor.setPosition(9)
    win.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: showing(0), timeout=20_000)


def test_a_code_fence_typed_above_turns_the_lines_below_into_code(make_window, qtbot,
                                                                  wait_fresh):
    """Fences are tracked as block state: typing one far above a link makes every line
    after it code (the link is no longer a link), and undoing it brings the link back."""
    from linkwriter.gui.highlighter import IN_BACKTICK_FENCE, NORMAL

    win = make_window()
    win.editor.setPlainText("Intro\n\nSee [a guide](https://example.com/g).\n\nEnd\n")
    wait_fresh(win)
    doc = win.editor.document()
    assert block_formats(win, 2)
    cursor = win.editor.textCursor()
    cursor.setPosition(0)
    win.editor.setTextCursor(cursor)
    qtbot.keyClicks(win.editor, "```")
    qtbot.keyClick(win.editor, Qt.Key.Key_Return)
    wait_fresh(win)
    assert [doc.findBlockByNumber(n).userState() for n in range(1, 6)] == [IN_BACKTICK_FENCE] * 5
    assert win.result.link_count == 0 and not block_formats(win, 3)
    while doc.isUndoAvailable() and win.text().startswith("`"):
        win.editor.undo()
    wait_fresh(win)
    assert win.text().startswith("Intro")
    assert {doc.findBlockByNumber(n).userState() for n in range(5)} == {NORMAL}
    assert block_formats(win, 2)


def run_next_popup(choose) -> None:
    """Call choose(menu) on the next popup menu the app shows, then close that menu (QMenu.exec
    runs its own event loop, so this runs from a timer inside it)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    tries = iter(range(500))  # about 5 s: a menu that never opens fails the caller's asserts

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            if next(tries, None) is not None:
                QTimer.singleShot(10, poll)
            return
        try:
            choose(menu)
        finally:
            menu.close()

    QTimer.singleShot(0, poll)


def right_click_current_row(view) -> None:  # noqa: ANN001
    """A real context-menu event on the current row of the warnings view."""
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    pos = view.visualRect(view.currentIndex()).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                              view.viewport().mapToGlobal(pos), Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_fix_buttons_under_the_panel_apply_their_own_fix_as_one_undo_step(
        make_window, qtbot, wait_fresh):
    """The buttons _show_fixes puts under the panel: each applies its own fix (not the
    first one's), in one undo step."""
    from PySide6.QtWidgets import QToolButton

    win = make_window()
    original = "Read [the guide](https://bit.ly/x) today.\n"
    win.editor.setPlainText(original)
    wait_fresh(win)
    key = keys_for(win, "no-lead-in")[0]
    fixes = win.findings_by_key[key].fixes
    assert len(fixes) >= 2
    win.warnings.select_key(key)
    buttons = {b.text(): b for b in win.warnings.fix_bar.findChildren(QToolButton)}
    assert fixes[0].title in buttons and fixes[1].title in buttons
    assert "More…" in buttons
    qtbot.mouseClick(buttons[fixes[1].title], Qt.MouseButton.LeftButton)
    assert win.text() == fixes[1].apply(original)
    win.editor.undo()
    assert win.text() == original


def test_row_context_menu_offers_fixes_and_actions_and_runs_them(make_window, qtbot,
                                                                 wait_fresh):
    """Right-clicking a warning row opens a menu with the finding's fixes and the actions
    every link finding offers; choosing one from that menu applies it (one undo step)."""
    win = make_window()
    original = "Read [the guide](http://bit.ly/x?utm_source=a) today.\n"
    win.editor.setPlainText(original)
    wait_fresh(win)
    key = keys_for(win, "tracking-params")[0]
    fix = win.findings_by_key[key].fixes[0]
    win.warnings.select_key(key)
    seen: list[str] = []

    def choose(menu) -> None:  # noqa: ANN001
        seen.extend(a.text() for a in menu.actions() if not a.isSeparator())
        next(a for a in menu.actions() if a.text() == fix.title).trigger()

    run_next_popup(choose)
    right_click_current_row(win.warnings.view)
    assert seen == [fix.title, "Ignore here", "Ignore rule in this post", "Trust this domain",
                    "Edit link…", "Remove link, keep text"]
    assert win.text() == fix.apply(original)
    win.editor.undo()
    assert win.text() == original
    # An action from the same menu: the link goes, its text stays.
    wait_fresh(win)
    key = keys_for(win, "tracking-params")[0]
    win.warnings.select_key(key)
    run_next_popup(lambda menu: next(
        a for a in menu.actions() if a.text() == "Remove link, keep text").trigger())
    right_click_current_row(win.warnings.view)
    assert win.text() == "Read the guide today.\n"
    win.editor.undo()
    assert win.text() == original
