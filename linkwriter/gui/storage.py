"""Where the app keeps its own files: recovery copies and recent files.

All under the app data folder (platformdirs), or LINKWRITER_DATA_DIR when set, so tests and
portable setups never touch the real one. Writes are atomic (temp file, fsync, rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
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


def write_recovery(doc_id: str, path: str | None, text: str, cursor: int = 0) -> Path:
    target = recovery_dir() / f"{doc_id}.json"
    payload = {"doc_id": doc_id, "path": path, "text": text, "saved_at": time.time(),
               "pid": os.getpid(), "cursor": cursor}
    atomic_write_bytes(target, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return target


def remove_recovery(doc_id: str) -> None:
    (recovery_dir() / f"{doc_id}.json").unlink(missing_ok=True)


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
