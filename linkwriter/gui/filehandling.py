"""The main window's files: open, save, recent files, drops, changes made on disk by other
programs, and the recovery copy. A mixin of MainWindow, kept apart for size."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
)

from linkwriter.core.errors import LinkWriterError
from linkwriter.gui import dialogs, storage
from linkwriter.gui.textfile import (
    LoadedText,
    bytes_for_save,
    digest,
    read_post,
    write_atomic,
)

if TYPE_CHECKING:
    from linkwriter.gui.mainwindow import MainWindow

RECOVERY_DELAY_MS = 1500  # the recovery copy is written within 2 s of the last keystroke
RECOVERY_DRAIN_S = 5.0  # closing or quitting waits at most this long for the recovery writer
FILE_FILTER = "Markdown posts (*.md *.markdown *.mdown *.mkd *.txt);;All files (*)"


class RecoveryRelay(QObject):
    """Brings the recovery writer's errors to the GUI thread, where it lives (a queued call)."""

    failed = Signal(str, str)  # doc_id, one-line message; emitted on the writer's thread

    def __init__(self) -> None:
        super().__init__()
        self.failed.connect(self._deliver)

    @Slot(str, str)
    def _deliver(self, doc_id: str, message: str) -> None:
        # Looked up now, not connected per window: the window may be gone by the time.
        from linkwriter.gui.mainwindow import all_windows

        for win in all_windows():
            if win.doc_id == doc_id and not win._closing:
                win.statusBar().showMessage(message, 5000)


_writer: storage.RecoveryWriter | None = None
_relay: RecoveryRelay | None = None


def recovery_writer() -> storage.RecoveryWriter:
    """The app's one recovery writer, with its relay on the GUI thread."""
    global _writer, _relay
    if _writer is None:
        relay = RecoveryRelay()
        app = QCoreApplication.instance()
        if app is not None:
            relay.moveToThread(app.thread())
        _relay = relay

        def report(doc_id: str, action: str, exc: Exception) -> None:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            relay.failed.emit(doc_id, f"Could not {action} the recovery copy: {detail}")

        _writer = storage.RecoveryWriter(on_error=report)
    return _writer


def drain_recovery(timeout: float = RECOVERY_DRAIN_S) -> bool:
    """On quit: hand over the newest text of windows still open, then wait for the disk."""
    from linkwriter.gui.mainwindow import all_windows

    for win in all_windows():
        if not win._closing and win.editor.document().isModified():
            win.recovery_timer.stop()
            win.write_recovery()
    return recovery_writer().flush(timeout)


class FileHandlingMixin:
    # -- files -------------------------------------------------------
    def is_blank(self) -> bool:
        return self.path is None and not self.editor.document().isModified() and not self.text()

    def open_path(self, path: Path) -> bool:
        try:
            loaded = read_post(path)
        except LinkWriterError as exc:
            dialogs.show_error(self, str(exc))
            return False
        self._unwatch()
        recovery_writer().remove(self.doc_id)
        self.path = path.resolve()
        self.loaded = loaded
        self.fmt = loaded.fmt
        self._disk_changed = False
        self.banner.hide()
        self._load_config()
        self.set_text(loaded.text)
        self._watch()
        self._update_title()
        storage.add_recent_file(self.path)
        if loaded.fmt.mixed:
            self.statusBar().showMessage(
                "This file mixes line endings; edited lines are saved with "
                f"{'CRLF' if loaded.fmt.newline == chr(13) + chr(10) else 'LF'}.", 8000)
        return True

    @Slot()
    def open_dialog(self) -> None:
        start = str(self.path.parent) if self.path else ""
        name, _ = QFileDialog.getOpenFileName(self, "Open post", start, FILE_FILTER)
        if name:
            self.open_in_window(Path(name))

    def open_in_window(self, path: Path) -> MainWindow | None:
        """Open here if this window is empty, else in a new window."""
        from linkwriter.gui.mainwindow import _keep_alive

        if self.is_blank():
            return self if self.open_path(path) else None
        win = type(self)(offline=self.offline, theme=self.theme, config_path=self.config_path)
        if win.open_path(path):
            win.show()
            _keep_alive(win)
            return win
        win.deleteLater()
        return None

    @Slot(list)
    def _on_files_dropped(self, paths: list[Path]) -> None:
        for p in paths:
            self.open_in_window(p)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = storage.recent_files()
        if not files:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for f in files:
            act = self.recent_menu.addAction(f)
            act.triggered.connect(lambda _=False, p=f: self.open_in_window(Path(p)))

    @Slot()
    def new_post(self) -> None:
        if self.is_blank():
            return
        from linkwriter.gui.mainwindow import _keep_alive

        win = type(self)(offline=self.offline, theme=self.theme, config_path=self.config_path)
        win.show()
        _keep_alive(win)

    @Slot()
    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    @Slot()
    def save_as(self) -> bool:
        start = str(self.path) if self.path else "untitled.md"
        name, _ = QFileDialog.getSaveFileName(self, "Save post as", start, FILE_FILTER)
        if not name:
            return False
        return self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        path = path.resolve()
        same_file = self.path is not None and path == self.path
        if same_file and self.loaded is not None and path.exists():
            try:
                on_disk = digest(path.read_bytes())
            except OSError:
                on_disk = self.loaded.digest
            if on_disk != self.loaded.digest and not dialogs.ask_overwrite_changed_file(
                    self, path.name):
                return False
        text = self.text()
        data = bytes_for_save(text, self.loaded, self.fmt)
        self._saving = True
        try:
            write_atomic(path, data)
        except LinkWriterError as exc:
            dialogs.show_error(self, str(exc))
            return False
        finally:
            self._saving = False
        self._unwatch()
        self.path = path
        self.loaded = LoadedText(text, self.fmt, data, digest(data))
        self._disk_changed = False
        self.banner.hide()
        self.editor.document().setModified(False)
        recovery_writer().remove(self.doc_id)
        self.recovery_timer.stop()
        self._watch()
        self._update_title()
        storage.add_recent_file(path)
        self.statusBar().showMessage(f"Saved {path.name}", 3000)
        return True

    # -- external changes ------------------------------------------------
    def _watch(self) -> None:
        if self.path is not None and self.path.exists():
            self.watcher.addPath(str(self.path))

    def _unwatch(self) -> None:
        files = self.watcher.files()
        if files:
            self.watcher.removePaths(files)

    @Slot(str)
    def _on_file_changed(self, name: str) -> None:
        if self._saving or self.path is None or self.loaded is None:
            return
        # Atomic-rename saves by other programs drop the watch: add the path back.
        QTimer.singleShot(200, self._rewatch)
        try:
            on_disk = digest(self.path.read_bytes())
        except OSError:
            on_disk = None
        if on_disk == self.loaded.digest:
            return
        self._disk_changed = True
        if on_disk is None:
            msg = f"“{self.path.name}” was deleted or moved by another program."
            actions = [("Keep my text", self._keep_mine)]
        else:
            msg = f"“{self.path.name}” was changed by another program."
            actions = [("Reload from disk", self.reload_from_disk),
                       ("Keep my version", self._keep_mine)]
        self.banner.show_message(msg, actions)

    def _rewatch(self) -> None:
        if self.path is not None and str(self.path) not in self.watcher.files():
            self._watch()

    @Slot()
    def reload_from_disk(self) -> None:
        if self.path is None:
            return
        try:
            loaded = read_post(self.path)
        except LinkWriterError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.loaded = loaded
        self.fmt = loaded.fmt
        # Reload as one undoable edit so the writer's version is one Ctrl+Z away.
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(loaded.text)
        cursor.endEditBlock()
        self.editor.document().setModified(False)
        recovery_writer().remove(self.doc_id)
        self._disk_changed = False
        self.banner.hide()

    @Slot()
    def _keep_mine(self) -> None:
        # The buffer stays; the next save asks before overwriting (digest still differs).
        self.banner.hide()
        self.editor.document().setModified(True)

    # -- autosave / recovery -------------------------------------------------
    @Slot()
    def write_recovery(self) -> None:
        """Snapshot text, cursor and path here; the writer's thread does the disk work."""
        if not self.editor.document().isModified():
            recovery_writer().remove(self.doc_id)
            return
        recovery_writer().write(self.doc_id, str(self.path) if self.path else None,
                                self.text(), self.editor.textCursor().position())

    def restore(self, entry: storage.RecoveryEntry) -> None:
        """Show a recovered text; it stays unsaved (modified) until the writer saves it."""
        if entry.path and Path(entry.path).is_file():
            try:
                self.loaded = read_post(Path(entry.path))
                self.fmt = self.loaded.fmt
                self.path = Path(entry.path).resolve()
                self._watch()
            except LinkWriterError:
                self.path = None
        elif entry.path:
            self.path = Path(entry.path)
        self._load_config()
        self.set_text(entry.text)
        self.editor.document().setModified(True)
        self._update_title()
        if entry.file is not None:
            entry.file.unlink(missing_ok=True)
        self.write_recovery()
        self.statusBar().showMessage("Restored unsaved text from the last session.", 8000)

