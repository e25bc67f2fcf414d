"""The GUI thread stays responsive while a big post is analysed and checked over the network.

Not a timed test: it measures the longest event-loop stall and prints it, and asserts only
that the event loop kept running (ticks arrived) while the work was in progress.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer

pytest.importorskip("linkwriter.core.extract")
pytest.importorskip("linkwriter.core.net")


def big_post(base: str, size: int = 1_000_000, links: int = 5000) -> str:
    import os

    size = int(os.environ.get("LW_BIG_SIZE", size))
    links = int(os.environ.get("LW_BIG_LINKS", links))
    para = ("Sourdough needs flour, water and salt, and a lively starter that doubles in a few "
            "hours. ")
    parts = ["# Big post\n\n"]
    n = 0
    length = 0
    while length < size or n < links:
        line = para * 2
        if n < links:
            line += f"See [guide {n}]({base}/page/{n % 20}) for details. "
            n += 1
        parts.append(line + "\n\n")
        length += len(line) + 2
    return "".join(parts)


@pytest.mark.slow
def test_event_loop_keeps_running_during_analysis_and_network(make_window, qtbot, httpserver,
                                                                tmp_path, monkeypatch):
    def slow(request):
        from werkzeug import Response

        time.sleep(0.3)
        return Response("<html><head><title>Guide</title></head><body>ok</body></html>",
                        content_type="text/html")

    httpserver.expect_request("/page/*", method="GET").respond_with_handler(slow)
    httpserver.expect_request("/page/*", method="HEAD").respond_with_handler(slow)
    for i in range(20):
        httpserver.expect_request(f"/page/{i}").respond_with_handler(slow)
    config_dir = tmp_path / "xdgconfig" / "linkwriter"
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text(
        "[network]\nallow_private = true\ntimeout = 5.0\nsoft_404 = false\n", encoding="utf-8")
    post = tmp_path / "big.md"
    post.write_text(big_post(httpserver.url_for("").rstrip("/")), encoding="utf-8")

    from linkwriter.gui.mainwindow import MainWindow

    win = MainWindow(offline=False)
    qtbot.addWidget(win)
    win.show()
    ticks = {"n": 0, "last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        ticks["max"] = max(ticks["max"], now - ticks["last"])
        ticks["last"] = now
        ticks["n"] += 1

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(5)
    busy_ticks = 0
    progress: list[tuple[int, int]] = []
    win.network.progress.connect(lambda done, total: progress.append((done, total)))
    try:
        win.open_path(post)
        start = time.perf_counter()
        saw_network = False
        while time.perf_counter() - start < 240:
            qtbot.wait(20)
            saw_network = saw_network or win.network.running or bool(progress)
            if win.analyzer.busy or win.network.running:
                busy_ticks = ticks["n"]
            if saw_network and win.is_fresh() and win.network_idle():
                break
        assert saw_network, f"the network check never started ({win.state_label.text()})"
        assert win.is_fresh() and win.network_idle()
    finally:
        timer.stop()
        win.network.shutdown()
        win.analyzer.shutdown()
    print(f"\nlongest event-loop stall: {ticks['max'] * 1000:.1f} ms over {ticks['n']} ticks")
    assert busy_ticks > 20  # the loop kept ticking while analysis and network checks ran
    assert win.result.link_count == post.read_text(encoding="utf-8").count("[guide ")
    assert len(httpserver.log) >= 20  # every distinct URL was really fetched
    win.editor.document().setModified(False)
