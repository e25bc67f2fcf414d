"""Export dialogs: the diff shows what cleaning changes; HTML carries the chosen rel values."""

from __future__ import annotations

import concurrent.futures as cf
import threading

import pytest
from PySide6.QtCore import Qt, QTimer

pytest.importorskip("linkwriter.core.extract")

POST = ("# Post\n\nSee [the guide](https://example.com/g?utm_source=news&id=3) and "
        "[my shop](https://amzn.to/abc).\n\n[unused]: https://example.org/x\n")


def test_clean_export_shows_diff_and_writes_crlf(qtbot, make_window, wait_fresh, tmp_path):
    src = tmp_path / "post.md"
    src.write_bytes(POST.replace("\n", "\r\n").encode())
    win = make_window()
    win.open_path(src)
    wait_fresh(win)
    dialog = win.clean_dialog()
    qtbot.waitUntil(dialog.ready, timeout=20_000)
    assert dialog.export_button.isEnabled()
    diff = dialog.diff.toPlainText()
    assert "-See [the guide](https://example.com/g?utm_source=news&id=3)" in diff
    assert "+See [the guide](https://example.com/g?id=3)" in diff
    assert "-[unused]: https://example.org/x" in diff
    dialog.unused.setChecked(False)
    assert not dialog.ready() and not dialog.export_button.isEnabled()  # until it is back
    qtbot.waitUntil(dialog.ready, timeout=20_000)
    assert "[unused]" not in dialog.diff.toPlainText()
    out = tmp_path / "clean.md"
    dialog.export_to(out)
    data = out.read_bytes()
    assert b"\r\n" in data and b"utm_source" not in data and b"[unused]" in data
    assert win.text() == POST  # the post itself is untouched
    # Options toggled while a job is out: the diff is the one for the options now shown.
    dialog.tracking.setChecked(False)
    dialog.unused.setChecked(True)
    qtbot.waitUntil(dialog.ready, timeout=20_000)
    diff = dialog.diff.toPlainText()
    assert "+See [the guide](https://example.com/g?id=3)" not in diff  # tracking kept
    assert "-[unused]: https://example.org/x" in diff


def test_html_export_rel_values(qtbot, make_window, wait_fresh, tmp_path):
    win = make_window()
    win.editor.setPlainText(POST + '\n<a href="https://example.net/" target="_blank">new tab</a>\n')
    wait_fresh(win)
    dialog = win.html_dialog()
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    shop = rows["https://amzn.to/abc"]
    dialog.table.item(shop, 2).setCheckState(Qt.CheckState.Checked)
    guide = rows[next(h for h in rows if h.startswith("https://example.com/g"))]
    dialog.table.item(guide, 3).setCheckState(Qt.CheckState.Checked)
    out = tmp_path / "post.html"
    dialog.export_to(out)
    qtbot.waitUntil(lambda: dialog.written == out, timeout=20_000)
    html = out.read_text(encoding="utf-8")
    assert '<a href="https://amzn.to/abc" rel="sponsored">' in html
    assert 'rel="nofollow"' in html
    assert 'target="_blank" rel="noopener"' in html
    assert "<title>Post</title>" in html or "<title></title>" in html


def test_export_dialogs_leave_the_gui_thread_free(qtbot, make_window, wait_fresh, tmp_path,
                                                  monkeypatch):
    """Cleaning and rendering analyse the whole post (seconds on a 1 MB post) and run in the
    analysis worker. Each job's result is held back until a timer on the GUI thread lets it
    go: meanwhile the dialog has returned to the event loop and says it is working; the
    result then lands through it."""
    from linkwriter.gui import analysis

    win = make_window()
    win.editor.setPlainText(POST)
    wait_fresh(win)
    release = threading.Event()
    real_submit = analysis.submit_to_worker
    seen_busy = []

    def gated_submit(name, *args):
        future = real_submit(name, *args)
        gated: cf.Future = cf.Future()

        def hold(done: cf.Future) -> None:
            release.wait(20)
            try:
                gated.set_result(done.result())
            except Exception as exc:
                gated.set_exception(exc)

        future.add_done_callback(lambda f: threading.Thread(target=hold, args=(f,)).start())
        return gated

    monkeypatch.setattr(analysis, "submit_to_worker", gated_submit)
    dialog = win.clean_dialog()
    seen_busy.append(dialog.summary.text())
    QTimer.singleShot(50, release.set)  # runs only if the GUI thread's event loop does
    qtbot.waitUntil(dialog.ready, timeout=20_000)
    assert seen_busy == ["Cleaning…"]
    assert "+See [the guide](https://example.com/g?id=3)" in dialog.diff.toPlainText()

    release.clear()
    html = win.html_dialog()
    out = tmp_path / "post.html"
    html.export_to(out)
    assert html.status.text() == "Exporting…" and not html.buttons.isEnabled()
    QTimer.singleShot(50, release.set)
    qtbot.waitUntil(lambda: html.written == out, timeout=20_000)
    assert "<title>" in out.read_text(encoding="utf-8")
