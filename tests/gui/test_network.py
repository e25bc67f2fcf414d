"""Network checks in the window: progress, Cancel, and the offline switch. Loopback only."""

from __future__ import annotations

import contextlib
import threading

import pytest
from net_servers import page, serve
from PySide6.QtCore import Qt

pytest.importorskip("linkwriter.core.net")
pytest.importorskip("linkwriter.core.rules")

NETWORK_CONFIG = """\
[network]
allow_private = true
timeout = 1.0
connect_timeout = 1.0
deadline = 3.0
max_retries = 0
host_concurrency = 1
soft_404 = false
https_upgrade = false
wayback = false
safe_browsing = false
"""


@pytest.fixture
def online_window(qtbot, tmp_path, monkeypatch):
    """A window that is not offline, with a config that lets it check loopback URLs."""
    from linkwriter.gui import dialogs
    from linkwriter.gui.mainwindow import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    config_dir = tmp_path / "xdgconfig" / "linkwriter"
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text(NETWORK_CONFIG, encoding="utf-8")
    win = MainWindow(offline=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.network.shutdown()
    win.analyzer.shutdown()


@contextlib.contextmanager
def held_links(win, n: int):
    """A loopback server that holds every request until the gate opens, and the window's
    text linking to n of its pages; yields (server, gate). The gate opens on the way out."""
    gate = threading.Event()

    def slow(handler):
        gate.wait(10)
        return 200, page("Slow page")

    with serve({"*": slow}) as server:
        try:
            win.editor.setPlainText("# Links\n\n" + "".join(
                f"Read [guide {i}]({server.url(f'/guide/{i}')}) first.\n\n" for i in range(n)))
            yield server, gate
        finally:
            gate.set()


def test_progress_and_cancel_stop_the_checks(online_window, qtbot, wait_fresh):
    """While links are checked the status bar shows progress and a Cancel button; Cancel stops
    the checks (not restarted by the next analysis), hides both and says so; Check Again
    checks the links after all."""
    win = online_window
    with held_links(win, 4) as (server, gate):
        qtbot.waitUntil(lambda: win.net_progress.isVisible() and win.net_cancel.isVisible(),
                        timeout=30_000)
        assert win.network.running and not win.network_idle()
        assert win.net_progress.maximum() == 4
        qtbot.waitUntil(lambda: bool(server.hits), timeout=10_000)  # a request is in flight
        qtbot.mouseClick(win.net_cancel, Qt.MouseButton.LeftButton)
        assert win.statusBar().currentMessage() == "Network checks cancelled."
        qtbot.waitUntil(lambda: not win.network.running, timeout=15_000)
        wait_fresh(win)  # the analysis that follows the end of the checks
        assert not win.network.running and win.network_idle()
        assert not win.net_progress.isVisible() and not win.net_cancel.isVisible()
        assert sum(server.hits.values()) == 1  # the other links were never fetched
        # Check Again (F5) checks them after all.
        gate.set()
        win.act_recheck.trigger()
        qtbot.waitUntil(lambda: len(server.hits) == 4 and win.network_idle()
                        and win.is_fresh(), timeout=30_000)


def test_check_again_while_a_cancelled_check_winds_down_checks_everything(
        online_window, qtbot, wait_fresh):
    """Check Again pressed right after Cancel, while the request in flight still runs: once
    that check has ended, every link is checked again (none stays skipped as cancelled)."""
    win = online_window
    with held_links(win, 3) as (server, gate):
        qtbot.waitUntil(lambda: bool(server.hits), timeout=30_000)
        qtbot.mouseClick(win.net_cancel, Qt.MouseButton.LeftButton)
        assert win.network.running  # the request in flight still waits for the server
        win.act_recheck.trigger()
        gate.set()
        qtbot.waitUntil(lambda: len(server.hits) == 3 and win.network_idle()
                        and win.is_fresh(), timeout=30_000)


def test_toolbar_offline_toggle_switches_the_status_bar_indicator(online_window, qtbot):
    """The toolbar's Offline button turns network checks off and on, and the status bar
    indicator (objectName offlineIndicator) says which."""
    from PySide6.QtWidgets import QLabel

    win = online_window
    indicator = win.findChild(QLabel, "offlineIndicator")
    assert indicator.text() == "● Online" and not win.act_offline.isChecked()
    button = win.toolbar.widgetForAction(win.act_offline)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.offline and win.config.network.offline and win.act_offline.isChecked()
    assert indicator.text() == "● Offline"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not win.offline and not win.config.network.offline
    assert indicator.text() == "● Online"
