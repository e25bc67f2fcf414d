"""Network checks in the background, with progress and cancel.

Reports are keyed by URL, so they stay valid however the text moves: each offline analysis
turns the reports gathered so far into findings on the current snapshot's links.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from linkwriter.core.config import Config


def network_available() -> bool:
    try:
        import linkwriter.core.net  # noqa: F401
    except ImportError:
        return False
    return True


class _NetJob(QRunnable):
    def __init__(self, runner: NetworkRunner, job_id: int, urls: list[str], head_only: set[str],
                 config: Config, cancel: threading.Event) -> None:
        super().__init__()
        self._progress = runner._progress
        self._done = runner._done
        self._args = (job_id, urls, head_only, config, cancel)

    def run(self) -> None:
        job_id, urls, head_only, config, cancel = self._args
        try:
            from linkwriter.core.net import Cache, NetworkChecker

            try:
                cache: Any = Cache.from_config(config.network)
            except Exception:  # a broken cache must not stop the check
                cache = None

            def progress(done: int, total: int, url: str, _rep: object) -> None:
                self._progress.emit(job_id, done, total)

            with NetworkChecker(config, cache, progress, cancel) as checker:
                reports = checker.check(urls, head_only=head_only)
            self._done.emit(job_id, reports, "")
        except Exception as exc:  # shown in the status bar, never a traceback
            self._done.emit(job_id, {}, f"network check failed: {exc}")


class NetworkRunner(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(str)  # error text or ""
    _progress = Signal(int, int, int)
    _done = Signal(int, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.reports: dict[str, Any] = {}
        self.running = False
        self._job_id = 0
        self._cancel: threading.Event | None = None
        self._asked: set[str] = set()
        self._forget_when_done = False
        self._progress.connect(self._on_progress)
        self._done.connect(self._on_done)

    def pending_urls(self, urls: list[str]) -> list[str]:
        """Of a post's URLs to check (AnalysisResult.check_urls), those not yet asked for."""
        if not network_available():
            return []
        return [u for u in urls if u not in self.reports and u not in self._asked]

    def check_urls(self, urls: list[str], head_only: set[str], config: Config) -> bool:
        """Start checking URLs not yet known; True if a check started."""
        if self.running or config.network.offline:
            return False
        urls = self.pending_urls(urls)
        if not urls:
            return False
        self._job_id += 1
        self._cancel = threading.Event()
        self._asked.update(urls)
        self.running = True
        self.progress.emit(0, len(urls))
        self.pool.start(_NetJob(self, self._job_id, urls, head_only, config, self._cancel))
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def forget(self) -> None:
        """Drop known reports (config changed, "check again"). While a check runs (or winds
        down after Cancel), its reports would be from before: they are dropped when it ends."""
        self.reports.clear()
        self._asked.clear()
        self._forget_when_done = self.running

    def snapshot(self) -> dict[str, Any]:
        return dict(self.reports)

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self._job_id:
            self.progress.emit(done, total)

    @Slot(int, object, str)
    def _on_done(self, job_id: int, reports: dict, error: str) -> None:
        if job_id != self._job_id:
            return
        self.running = False
        if self._forget_when_done:  # "check again" came while this ran: start afresh
            self._forget_when_done = False
            self.reports.clear()
            self._asked.clear()
            self.finished.emit(error)
            return
        stopped = self._cancel is not None and self._cancel.is_set()
        for url, rep in reports.items():
            if getattr(rep, "verdict", None) == "cancelled":
                # Not checked. Stopped on purpose (Cancel, going offline): not again until
                # forget() ("Check Again"), or the next analysis would restart the check at once.
                if not stopped:
                    self._asked.discard(url)
                continue
            self.reports[url] = rep
        self.finished.emit(error)

    def shutdown(self) -> None:
        self.cancel()
        self.pool.waitForDone(15_000)
