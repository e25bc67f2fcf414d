"""GUI tests run real widgets offscreen, with config and data folders under tmp_path."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    data = tmp_path / "appdata"
    monkeypatch.setenv("LINKWRITER_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdgconfig"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdgdata"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdgcache"))
    sys.setswitchinterval(0.001)
    yield


@pytest.fixture
def make_window(qtbot, monkeypatch):
    """Real main windows; closed without prompts at the end, workers drained first."""
    from linkwriter.gui import dialogs
    from linkwriter.gui.mainwindow import MainWindow

    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    created = []

    def make(**kwargs):
        win = MainWindow(offline=True, **kwargs)
        qtbot.addWidget(win)
        win.show()
        created.append(win)
        return win

    yield make
    for win in created:
        win.analyzer.shutdown()
        win.network.shutdown()


@pytest.fixture
def wait_fresh(qtbot):
    def wait(win, timeout=30_000):  # the first call also starts the analysis process
        qtbot.waitUntil(win.is_fresh, timeout=timeout)

    return wait
