"""The preview renders off the GUI thread and never follows javascript: links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def catcher():
    c = UrlCatcher()
    for scheme in ("https", "http", "javascript", "file", "data"):
        QDesktopServices.setUrlHandler(scheme, c, "handle")
    yield c
    for scheme in ("https", "http", "javascript", "file", "data"):
        QDesktopServices.unsetUrlHandler(scheme)


def test_preview_neutralises_javascript_links(make_window, qtbot, catcher):
    win = make_window()
    win.editor.setPlainText(
        "# Title\n\n[safe](https://example.com/page) [evil](javascript:alert(1))\n\n"
        '<a href="javascript:alert(2)">raw evil</a> <a href="https://example.org/">raw ok</a>\n')
    with qtbot.waitSignal(win.preview.rendered, timeout=10_000):
        win.set_preview_visible(True)
    html = win.preview.toHtml()
    assert "Title" in html and "https://example.com/page" in html
    assert "javascript:alert" not in html.replace("[evil](javascript:alert(1))", "")
    refused = []
    win.preview.linkRefused.connect(refused.append)
    win.preview.anchorClicked.emit(QUrl("javascript:alert(2)"))
    win.preview.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert catcher.opened == []
    assert refused == ["javascript:alert(2)", "file:///etc/passwd"]
    win.preview.anchorClicked.emit(QUrl("https://example.com/page"))
    assert catcher.opened == ["https://example.com/page"]


def test_preview_follows_typing(make_window, qtbot):
    win = make_window()
    with qtbot.waitSignal(win.preview.rendered, timeout=10_000):
        win.set_preview_visible(True)
    with qtbot.waitSignal(win.preview.rendered, timeout=10_000):
        qtbot.keyClicks(win.editor, "Hello **bold** world")
    qtbot.waitUntil(lambda: "bold" in win.preview.toPlainText() and
                    "world" in win.preview.toPlainText(), timeout=5000)
    assert "**" not in win.preview.toPlainText()
