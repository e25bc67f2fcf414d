"""Autosave: the recovery copy appears soon after typing and a new window restores it.

The copy is written on a background thread; these tests use the real disk, slowed down
where the order of a write and a removal matters.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from linkwriter.gui import storage
from linkwriter.gui.filehandling import drain_recovery, recovery_writer


class SlowDisk:
    """atomic_write_bytes that takes its time (a slow disk), then really writes."""

    def __init__(self, real: Callable[[Path, bytes], None], delay: float) -> None:
        self.real = real
        self.delay = delay
        self.started = threading.Event()  # a write is on the disk now
        self.calls: list[Path] = []
        self.events: list[str] = []

    def __call__(self, path: Path, data: bytes) -> None:
        self.calls.append(path)
        self.started.set()
        time.sleep(self.delay)
        self.real(path, data)
        self.events.append("write done")


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> SlowDisk:
    disk = SlowDisk(storage.atomic_write_bytes, 0.3)
    monkeypatch.setattr(storage, "atomic_write_bytes", disk)
    return disk


def test_recovery_copy_written_and_restored_after_crash(make_window, qtbot, monkeypatch):
    win = make_window()
    qtbot.keyClicks(win.editor, "Unsaved draft with a [link](https://example.com) ")
    win.editor.insertPlainText("🍞")  # QTest cannot type astral characters
    target = storage.recovery_dir() / f"{win.doc_id}.json"
    qtbot.waitUntil(target.exists, timeout=2500)  # within 2 s of the last keystroke
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["text"] == "Unsaved draft with a [link](https://example.com) 🍞"
    assert data["path"] is None

    # Simulate a crash: the process that wrote it is gone (a pid that cannot exist).
    win.shutdown_for_test()
    data["pid"] = 2**22 + 12345
    target.write_text(json.dumps(data), encoding="utf-8")
    leftovers = storage.orphaned_recoveries()
    assert [e.doc_id for e in leftovers] == [win.doc_id]

    fresh = make_window()
    fresh.restore(leftovers[0])
    assert fresh.text() == "Unsaved draft with a [link](https://example.com) 🍞"
    assert fresh.isWindowModified()
    assert not target.exists()  # the old copy is consumed; the new window keeps its own
    assert recovery_writer().flush(5)
    assert (storage.recovery_dir() / f"{fresh.doc_id}.json").exists()


def test_save_and_close_remove_the_recovery_copy(make_window, qtbot, tmp_path):
    post = tmp_path / "post.md"
    post.write_text("hello\n", encoding="utf-8")
    win = make_window()
    win.open_path(post)
    qtbot.keyClicks(win.editor, "more ")
    target = storage.recovery_dir() / f"{win.doc_id}.json"
    qtbot.waitUntil(target.exists, timeout=2500)
    assert json.loads(target.read_text(encoding="utf-8"))["path"] == str(post.resolve())
    assert win.save()
    assert recovery_writer().flush(5)
    assert not target.exists()
    qtbot.keyClicks(win.editor, "again ")
    qtbot.waitUntil(target.exists, timeout=2500)
    assert win.close()  # conftest answers "discard"
    assert not target.exists()  # close waits for the writer: gone on return


def test_a_remove_after_a_slow_write_leaves_no_file(slow_disk):
    """The remove must wait for a running write, and cancel one still waiting."""
    writer = storage.RecoveryWriter()
    try:
        writer.write("a", None, "draft")
        assert slow_disk.started.wait(5)
        writer.remove("a")  # asked while the write is on the disk
        assert writer.flush(10)
        assert not storage.recovery_file("a").exists()

        slow_disk.started.clear()
        writer.write("b", None, "another post")  # keeps the thread busy
        assert slow_disk.started.wait(5)
        writer.write("a", None, "draft 2")  # waits behind b ...
        writer.remove("a")  # ... and is dropped, never written
        assert writer.flush(10)
        assert not storage.recovery_file("a").exists()
        assert [p.name for p in slow_disk.calls] == ["a.json", "b.json"]
    finally:
        assert writer.close(10)


def test_the_latest_text_wins_when_writes_pile_up(slow_disk):
    """Typing on during a slow write queues one write of the newest text, not every one."""
    writer = storage.RecoveryWriter()
    try:
        writer.write("a", None, "v0")
        assert slow_disk.started.wait(5)
        for i in range(1, 21):
            writer.write("a", "/posts/a.md", f"v{i}", cursor=i)
        assert writer.flush(10)
        data = json.loads(storage.recovery_file("a").read_text(encoding="utf-8"))
        assert (data["text"], data["path"], data["cursor"]) == ("v20", "/posts/a.md", 20)
        assert len(slow_disk.calls) == 2
    finally:
        assert writer.close(10)


def test_closing_waits_for_a_running_write_then_removes_it(make_window, qtbot, slow_disk):
    """Close (discarding) drains: the running write lands first, the removal after it."""
    win = make_window()
    qtbot.keyClicks(win.editor, "unsaved")
    win.write_recovery()  # what the timer does
    assert slow_disk.started.wait(5)
    assert win.close()  # conftest answers "discard"
    slow_disk.events.append("closed")
    assert slow_disk.events == ["write done", "closed"]
    assert not storage.recovery_file(win.doc_id).exists()


def test_quitting_puts_the_newest_text_on_disk(make_window, qtbot, slow_disk):
    """On quit, text typed since the last copy is handed over and waited for."""
    win = make_window()
    qtbot.keyClicks(win.editor, "first")
    win.write_recovery()
    assert slow_disk.started.wait(5)
    qtbot.keyClicks(win.editor, " second")
    assert win.recovery_timer.isActive()  # not yet handed over
    assert drain_recovery()  # what aboutToQuit runs
    data = json.loads(storage.recovery_file(win.doc_id).read_text(encoding="utf-8"))
    assert data["text"] == "first second"


def test_a_write_error_reaches_the_status_bar(make_window, qtbot):
    """A real failure (the folder is a file) is shown, from the GUI thread only."""
    storage.recovery_dir().parent.mkdir(parents=True, exist_ok=True)
    storage.recovery_dir().write_text("not a folder", encoding="utf-8")
    win = make_window()
    threads: list[int] = []
    win.statusBar().messageChanged.connect(  # direct: runs on the thread that set it
        lambda _msg: threads.append(threading.get_ident()), Qt.ConnectionType.DirectConnection)
    qtbot.keyClicks(win.editor, "x")
    win.write_recovery()
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith(
        "Could not write the recovery copy: "), timeout=5000)
    assert "\n" not in win.statusBar().currentMessage()
    assert threads and set(threads) == {threading.get_ident()}


def test_live_process_copies_are_not_offered(make_window, qtbot):
    win = make_window()
    qtbot.keyClicks(win.editor, "typing")
    qtbot.waitUntil((storage.recovery_dir() / f"{win.doc_id}.json").exists, timeout=2500)
    assert storage.orphaned_recoveries() == []  # our own process is alive


def test_recent_files(tmp_path, make_window):
    post = tmp_path / "a.md"
    post.write_text("a\n", encoding="utf-8")
    win = make_window()
    win.open_path(post)
    assert storage.recent_files()[0] == str(post.resolve())


DRIVER = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from linkwriter.gui import dialogs
from linkwriter.gui.app import get_app, run_app
from linkwriter.gui.mainwindow import all_windows

get_app()  # the timer below needs the application's event loop

offered, seen = [], []
dialogs.ask_restore = lambda parent, entries: offered.extend(e.doc_id for e in entries) or True
dialogs.ask_save_changes = lambda *a: "discard"

def finish():
    for win in all_windows():
        seen.append(win.text())
        win.close()
    QApplication.instance().quit()

QTimer.singleShot(1500, finish)
code = run_app(["--offline", "--light"])
print(json.dumps({"code": code, "offered": offered, "seen": seen}))
"""


def test_startup_offers_and_restores_leftover_copy(tmp_path):
    """The real startup path (in its own process): a dead session's copy is offered, opened."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    storage.recovery_dir().mkdir(parents=True, exist_ok=True)
    entry = {"doc_id": "deadbeef", "path": None, "text": "Lost draft [x](https://a.example)\n",
             "saved_at": 0, "pid": 2**22 + 999, "cursor": 3}
    (storage.recovery_dir() / "deadbeef.json").write_text(json.dumps(entry), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", DRIVER], capture_output=True, text=True,
                          timeout=120, cwd=root,
                          env={**os.environ, "PYTHONPATH": str(root),
                               "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["code"] == 0
    assert out["offered"] == ["deadbeef"]
    assert "Lost draft [x](https://a.example)\n" in out["seen"]
    assert not (storage.recovery_dir() / "deadbeef.json").exists()
    assert os.listdir(storage.recovery_dir()) == []  # closed cleanly: nothing left behind
