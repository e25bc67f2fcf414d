"""Where the app keeps its own files: recovery copies and recent files.

All under the app data folder (platformdirs), or LINKWRITER_DATA_DIR when set, so tests and
portable setups never touch the real one. Writes are atomic (temp file, fsync, rename).
Recovery copies are written by RecoveryWriter on a thread of its own, so typing never waits
on the disk.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA_ENV = "LINKWRITER_DATA_DIR"
MAX_RECENT = 10


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("linkwriter", appauthor=False)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class RecoveryEntry:
    doc_id: str
    path: str | None  # the post's file, None for an untitled post
    text: str
    saved_at: float
    pid: int
    cursor: int = 0
    file: Path | None = None  # where this entry is stored

    @property
    def title(self) -> str:
        return Path(self.path).name if self.path else "Untitled post"


def recovery_dir() -> Path:
    return data_dir() / "recovery"


def recovery_file(doc_id: str) -> Path:
    return recovery_dir() / f"{doc_id}.json"


def _write_recovery_to(target: Path, doc_id: str, path: str | None, text: str,
                       cursor: int) -> None:
    payload = {"doc_id": doc_id, "path": path, "text": text, "saved_at": time.time(),
               "pid": os.getpid(), "cursor": cursor}
    atomic_write_bytes(target, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class _Request:
    target: Path  # resolved when asked, so a later change of data folder cannot redirect it
    remove: bool
    path: str | None = None
    text: str = ""
    cursor: int = 0


RecoveryErrorHandler = Callable[[str, str, Exception], None]  # doc_id, "write"/"remove", error


class RecoveryWriter:
    """Writes and removes recovery copies on one background thread.

    Per document only the latest request waits: a newer write replaces an older one, and a
    remove replaces a waiting write, so that write never happens. A write already running
    finishes first, and the remove runs after it on the same thread: a removal can never be
    overtaken by an older write. Errors go to `on_error` on the writer's thread.
    """

    def __init__(self, on_error: RecoveryErrorHandler | None = None) -> None:
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: dict[str, _Request] = {}  # doc_id -> latest request, oldest first
        self._running: str | None = None  # the doc_id whose request is on the disk now
        self._thread: threading.Thread | None = None
        self._closed = False

    def write(self, doc_id: str, path: str | None, text: str, cursor: int = 0) -> None:
        """Queue a copy of `text` (a snapshot taken by the caller) for the document."""
        self._submit(doc_id, _Request(recovery_file(doc_id), False, path, text, cursor))

    def remove(self, doc_id: str) -> None:
        """Remove the document's copy once any write of it already running has finished."""
        self._submit(doc_id, _Request(recovery_file(doc_id), True))

    def _submit(self, doc_id: str, request: _Request) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the recovery writer is closed")
            self._pending[doc_id] = request
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="linkwriter-recovery",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _idle(self, doc_id: str | None) -> bool:
        if doc_id is None:
            return not self._pending and self._running is None
        return doc_id not in self._pending and self._running != doc_id

    def flush(self, timeout: float | None = None, doc_id: str | None = None) -> bool:
        """Wait until all requests (or one document's) are on disk; False if time ran out."""
        with self._cond:
            return self._cond.wait_for(lambda: self._idle(doc_id), timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Finish the waiting requests and end the thread; no requests are taken after."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.flush(0)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return  # closed, and nothing left to do
                doc_id = next(iter(self._pending))
                request = self._pending.pop(doc_id)
                self._running = doc_id
            try:
                self._apply(doc_id, request)
            finally:
                with self._cond:
                    self._running = None
                    self._cond.notify_all()

    def _apply(self, doc_id: str, request: _Request) -> None:
        try:
            if request.remove:
                request.target.unlink(missing_ok=True)
            else:
                _write_recovery_to(request.target, doc_id, request.path, request.text,
                                   request.cursor)
        except Exception as exc:  # reported, and the thread must live on
            if self._on_error is not None:
                with contextlib.suppress(Exception):
                    self._on_error(doc_id, "remove" if request.remove else "write", exc)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def orphaned_recoveries(include_own_process: bool = False) -> list[RecoveryEntry]:
    """Recovery copies left by a process that is gone: it crashed or was killed."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    out = []
    for file in sorted(folder.glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            entry = RecoveryEntry(
                doc_id=str(data["doc_id"]), path=data.get("path"), text=str(data["text"]),
                saved_at=float(data.get("saved_at", 0)), pid=int(data.get("pid", 0)),
                cursor=int(data.get("cursor", 0)), file=file)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a half-written or foreign file: leave it alone
        own = entry.pid == os.getpid()
        if (own and include_own_process) or not _pid_alive(entry.pid):
            out.append(entry)
    return out


def recent_files() -> list[str]:
    try:
        data = json.loads((data_dir() / "recent.json").read_text(encoding="utf-8"))
        return [str(p) for p in data if isinstance(p, str)][:MAX_RECENT]
    except (OSError, ValueError):
        return []


def add_recent_file(path: Path) -> list[str]:
    entry = str(path.resolve())
    files = [entry] + [p for p in recent_files() if p != entry]
    files = files[:MAX_RECENT]
    with contextlib.suppress(OSError):  # a convenience: never fail an open over it
        atomic_write_bytes(data_dir() / "recent.json", json.dumps(files).encode("utf-8"))
    return files
