"""The verdict cache: SQLite in the user cache folder, WAL mode so two processes can check at
once, schema versioned (a different version is simply rebuilt: it is a cache), and a corrupt
file is moved aside and rebuilt instead of crashing the run."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from linkwriter.core.net.report import FAILURES, Snapshot, UrlReport

SCHEMA_VERSION = 1
FILE_NAME = "netcheck.sqlite3"
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
PRUNE_AFTER = 30 * 86400.0  # seconds; snapshots are kept (they are the writer's baseline)


def default_cache_path() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("linkwriter", appauthor=False) / FILE_NAME


class Cache:
    def __init__(
        self, path: Path | str | None = None, *, ttl_ok: float = 86400.0, ttl_error: float = 3600.0
    ) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.ttl_ok = ttl_ok
        self.ttl_error = ttl_error
        self.moved_aside: Path | None = None  # set when a corrupt file was replaced
        self._lock = threading.Lock()
        self._db = self._open()

    @classmethod
    def from_config(cls, net: Any) -> Cache:
        return cls(net.cache_path or None, ttl_ok=net.cache_ttl_ok, ttl_error=net.cache_ttl_error)

    # -- opening -------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError:
            self._move_aside()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            # A full integrity pass reads the whole file; do it while the file is small enough
            # for that to be quick, otherwise trust the header and catch errors as they come.
            small = not self.path.exists() or self.path.stat().st_size < QUICK_CHECK_MAX_BYTES
            if small and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                with _transaction(db):
                    for table in ("results", "snapshots", "threats"):
                        db.execute(f"DROP TABLE IF EXISTS {table}")
                    db.execute(
                        "CREATE TABLE results (url TEXT PRIMARY KEY, checked_at REAL NOT NULL,"
                        " failed INTEGER NOT NULL, data TEXT NOT NULL)"
                    )
                    db.execute("CREATE TABLE snapshots (url TEXT PRIMARY KEY, data TEXT NOT NULL)")
                    db.execute(
                        "CREATE TABLE threats (url TEXT PRIMARY KEY, expires REAL NOT NULL,"
                        " data TEXT NOT NULL)"
                    )
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            else:
                with _transaction(db):  # verdicts this old are never fresh again
                    db.execute(
                        "DELETE FROM results WHERE checked_at < ?", (time.time() - PRUNE_AFTER,)
                    )
                    db.execute("DELETE FROM threats WHERE expires < ?", (time.time(),))
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                with contextlib.suppress(OSError):
                    src.replace(Path(str(target) + suffix))
        self.moved_aside = target

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- results -------------------------------------------------------------------------------
    def get(self, url: str, now: float | None = None) -> UrlReport | None:
        now = time.time() if now is None else now
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT checked_at, failed, data FROM results WHERE url = ?", (url,)
                ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        checked_at, failed, data = row
        ttl = self.ttl_error if failed else self.ttl_ok
        if now - checked_at > ttl:
            return None
        try:
            report = UrlReport.from_dict(json.loads(data))
        except (ValueError, TypeError, KeyError):
            return None
        report.from_cache = True
        return report

    def put_many(self, reports: list[UrlReport]) -> None:
        rows = [
            (
                r.fetch_url or r.url,
                r.checked_at or time.time(),
                int(r.verdict in FAILURES),
                json.dumps(r.to_dict(anchors=True)),
            )
            for r in reports
        ]
        if not rows:
            return
        with contextlib.suppress(sqlite3.DatabaseError), self._lock, _transaction(self._db):
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", rows)

    # -- snapshots: kept until replaced, they are the writer's baseline ------------------------
    def get_snapshot(self, url: str) -> Snapshot | None:
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT data FROM snapshots WHERE url = ?", (url,)
                ).fetchone()
            return Snapshot.from_dict(json.loads(row[0])) if row else None
        except (sqlite3.DatabaseError, ValueError, TypeError):
            return None

    def get_snapshots(self, urls: list[str]) -> dict[str, Snapshot]:
        """Many get_snapshot calls in a few queries (a check reads one per page)."""
        out: dict[str, Snapshot] = {}
        try:
            with self._lock:
                for i in range(0, len(urls), 500):  # well under SQLite's variable limit
                    chunk = urls[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT url, data FROM snapshots WHERE url IN ({marks})", chunk
                    ).fetchall()
                    for url, data in rows:
                        with contextlib.suppress(ValueError, TypeError):
                            out[url] = Snapshot.from_dict(json.loads(data))
        except sqlite3.DatabaseError:
            pass
        return out

    def put_snapshot(self, url: str, snapshot: Snapshot) -> None:
        self.put_snapshots([(url, snapshot)])

    def put_snapshots(self, items: list[tuple[str, Snapshot]]) -> None:
        """Store snapshots in one transaction (one commit per page made a first check slow)."""
        rows = [
            (url, json.dumps({k: getattr(snap, k) for k in snap.__slots__})) for url, snap in items
        ]
        if not rows:
            return
        with contextlib.suppress(sqlite3.DatabaseError), self._lock, _transaction(self._db):
            self._db.executemany("INSERT OR REPLACE INTO snapshots VALUES (?, ?)", rows)

    # -- Safe Browsing matches, kept for the API's cacheDuration --------------------------------
    def get_threats(self, url: str, now: float | None = None) -> list[str] | None:
        now = time.time() if now is None else now
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT expires, data FROM threats WHERE url = ?", (url,)
                ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or row[0] < now:
            return None
        return list(json.loads(row[1]))

    def put_threats(self, url: str, threats: list[str], seconds: float) -> None:
        with contextlib.suppress(sqlite3.DatabaseError), self._lock, _transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO threats VALUES (?, ?, ?)",
                (url, time.time() + seconds, json.dumps(threats)),
            )


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
