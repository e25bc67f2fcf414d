"""Autosave: the recovery copy appears soon after typing and a new window restores it."""

from __future__ import annotations

import json

from linkwriter.gui import storage


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
    assert not target.exists()
    qtbot.keyClicks(win.editor, "again ")
    qtbot.waitUntil(target.exists, timeout=2500)
    assert win.close()  # conftest answers "discard"
    assert not target.exists()


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
