"""Export dialogs: the diff shows what cleaning changes; HTML carries the chosen rel values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytest.importorskip("linkwriter.core.extract")

POST = ("# Post\n\nSee [the guide](https://example.com/g?utm_source=news&id=3) and "
        "[my shop](https://amzn.to/abc).\n\n[unused]: https://example.org/x\n")


def test_clean_export_shows_diff_and_writes_crlf(make_window, wait_fresh, tmp_path):
    src = tmp_path / "post.md"
    src.write_bytes(POST.replace("\n", "\r\n").encode())
    win = make_window()
    win.open_path(src)
    wait_fresh(win)
    dialog = win.clean_dialog()
    diff = dialog.diff.toPlainText()
    assert "-See [the guide](https://example.com/g?utm_source=news&id=3)" in diff
    assert "+See [the guide](https://example.com/g?id=3)" in diff
    assert "-[unused]: https://example.org/x" in diff
    dialog.unused.setChecked(False)
    assert "[unused]" not in dialog.diff.toPlainText()
    out = tmp_path / "clean.md"
    dialog.export_to(out)
    data = out.read_bytes()
    assert b"\r\n" in data and b"utm_source" not in data and b"[unused]" in data
    assert win.text() == POST  # the post itself is untouched


def test_html_export_rel_values(make_window, wait_fresh, tmp_path):
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
    html = out.read_text(encoding="utf-8")
    assert '<a href="https://amzn.to/abc" rel="sponsored">' in html
    assert 'rel="nofollow"' in html
    assert 'target="_blank" rel="noopener"' in html
    assert "<title>Post</title>" in html or "<title></title>" in html
