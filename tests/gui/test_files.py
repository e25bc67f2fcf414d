"""Open/save through the real window: exact bytes, atomic writes, external changes."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from linkwriter.gui import dialogs

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "crlf.md": b"# Title\r\n\r\nTrailing spaces   \r\n[link](https://example.com)  \r\n",
    "bom.md": codecs.BOM_UTF8 + b"BOM post\n\tTabbed  \n\nno final newline",
    "nbsp.md": "No-break\u00a0space and emoji \U0001f35e\n".encode(),
    "mixed.md": b"a\r\nb\nc\r\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_open_save_round_trips_bytes(make_window, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(CASES[name])
    win = make_window()
    assert win.open_path(path)
    assert win.save()
    assert path.read_bytes() == CASES[name]
    # Save As of an unchanged post writes the same bytes too.
    other = tmp_path / f"copy-{name}"
    assert win.save_to(other)
    assert other.read_bytes() == CASES[name]


def test_edit_keeps_crlf_and_bom(make_window, qtbot, tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(codecs.BOM_UTF8 + b"line one  \r\nline two\r\n")
    win = make_window()
    win.open_path(path)
    win.editor.moveCursor(win.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(win.editor, "three")
    assert win.isWindowModified()
    assert win.save()
    assert path.read_bytes() == codecs.BOM_UTF8 + b"line one  \r\nline two\r\nthree"
    assert not win.isWindowModified()


def test_external_change_offers_reload_and_never_overwrites_silently(
        make_window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "post.md"
    path.write_bytes(b"original\n")
    win = make_window()
    win.open_path(path)
    qtbot.keyClicks(win.editor, "my edit ")
    path.write_bytes(b"changed elsewhere\n")
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=5000)
    assert "changed by another program" in win.banner.label.text()
    # Saving now asks first; answering "no" leaves the other program's text on disk.
    asked = []
    monkeypatch.setattr(dialogs, "ask_overwrite_changed_file",
                        lambda *a: asked.append(a) or False)
    assert not win.save()
    assert asked and path.read_bytes() == b"changed elsewhere\n"
    # Reload takes the disk version, and one undo brings the writer's text back.
    reload_btn = next(b for b in win.banner.buttons if b.text().startswith("Reload"))
    qtbot.mouseClick(reload_btn, Qt.MouseButton.LeftButton)
    assert win.text() == "changed elsewhere\n"
    assert not win.isWindowModified()
    win.editor.undo()
    assert win.text() == "my edit original\n"


def test_own_save_is_not_reported_as_external_change(make_window, qtbot, tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(b"text\n")
    win = make_window()
    win.open_path(path)
    qtbot.keyClicks(win.editor, "x")
    assert win.save()
    qtbot.wait(300)
    assert not win.banner.isVisible()


def test_unsaved_changes_prompt_can_cancel_close(make_window, qtbot, monkeypatch):
    win = make_window()
    qtbot.keyClicks(win.editor, "draft")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "cancel")
    assert not win.close()
    assert win.isVisible()
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    assert win.close()


def test_screenshot_command(tmp_path):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "LINKWRITER_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    proc = subprocess.run(
        [sys.executable, "-m", "linkwriter", "--screenshot", str(out), "--size", "900x600",
         "--offline", str(ROOT / "resources" / "sample-post.md")],
        env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert (img.width(), img.height()) == (900, 600)


def drop_files(widget, paths) -> tuple[bool, bool]:  # noqa: ANN001
    """Drag files over a widget and drop them, as real events; (enter accepted, drop accepted)."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    center = widget.rect().center()
    # The QPoint constructor is the one PySide6 6.6 has; newer versions mark it deprecated.
    enter = QDragEnterEvent(QPoint(center), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(center), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


@pytest.mark.filterwarnings("ignore:.*QDragEnterEvent:DeprecationWarning")
def test_drop_opens_markdown_file(make_window, qtbot, tmp_path, wait_fresh, monkeypatch):
    """A Markdown file dropped on the editor (real drag-enter and drop events) opens in the
    empty window; a dropped file of another kind is not opened (Qt inserts its URL)."""
    from linkwriter.gui.mainwindow import all_windows

    errors: list[tuple] = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a: errors.append(a))  # never modal
    path = tmp_path / "dropped.md"
    path.write_text("dropped post\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<p>not a post</p>\n", encoding="utf-8")
    win = make_window()
    assert win.editor.acceptDrops()
    assert drop_files(win.editor.viewport(), [path]) == (True, True)
    assert win.path == path.resolve()
    wait_fresh(win)
    assert win.text() == "dropped post\n"
    windows = len(all_windows())
    drop_files(win.editor.viewport(), [page])
    assert win.path == path.resolve() and len(all_windows()) == windows and errors == []


def test_screenshot_waits_for_the_network_checks(qtbot, tmp_path, httpserver, monkeypatch):
    """Without --offline, `--screenshot` grabs the window once the network checks are done
    and their findings shown: at the grab, the network is idle and the 404 is reported."""
    import time

    from werkzeug import Response

    from linkwriter.gui import dialogs
    from linkwriter.gui.app import take_screenshot
    from linkwriter.gui.mainwindow import MainWindow

    def slow(request):
        time.sleep(1.0)
        return Response("<html><head><title>Slow page</title></head><body>ok</body></html>",
                        content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    config = tmp_path / "xdgconfig" / "linkwriter"  # the folder conftest points at
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        "[network]\nallow_private = true\ntimeout = 10.0\nsoft_404 = false\n",
        encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text(f"# Post\n\nRead [the slow page]({httpserver.url_for('/slow')}) and "
                    f"[this]({httpserver.url_for('/gone')}).\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    win = MainWindow(offline=False)
    qtbot.addWidget(win)
    win.show()
    win.open_path(post)
    seen: dict[str, object] = {}
    real_grab = win.grab

    def grab(*args):
        seen.update(idle=win.network_idle(),
                    rules={f.rule for f in win.result.findings} if win.result else set())
        return real_grab(*args)

    monkeypatch.setattr(win, "grab", grab)
    assert take_screenshot(win, tmp_path / "shot.png", timeout_s=60)
    assert seen["idle"] is True
    assert "broken-link" in seen["rules"], seen  # the 404, known only from the network
    win.shutdown_for_test()
