"""Running the core pipeline off the GUI thread, one snapshot at a time.

The pipeline is pure Python and CPU-bound: in a thread it would hold the GIL and make typing
stutter, so it runs in a separate process (one, shared by all windows) and only the snapshot
and the plain-data result cross over. Results come back through a signal of a GUI-thread
QObject (a queued connection to a @Slot); the window drops any result whose revision is no
longer current. If a process cannot be started, a thread does the work instead.
A result carries what the window shows; the Post stays in the worker, and fetch_post brings it
over for the few actions that need every link in full.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import functools
import itertools
import multiprocessing
import threading
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from linkwriter.core.config import Config
from linkwriter.core.post import Post
from linkwriter.core.spawn import without_main_module
from linkwriter.gui import workercalls
from linkwriter.gui.result import AnalysisResult

FETCH_TIMEOUT_S = 60.0

_EXECUTOR: cf.Executor | None = None
_LOCK = threading.Lock()
# The ticket of the analysis to give up, shared with the worker (workercalls.cancel_flag);
# tickets number every analysis request of this process, so a stale value cancels nothing.
_CANCEL: Any = None
_TICKETS = itertools.count(1)
# The ticket of the idle-time job (Analyzer.prepare) in flight, if any: any window's request
# gives it up, since the worker is shared.
_IDLE_TICKET = 0


def executor() -> cf.Executor:
    global _EXECUTOR, _CANCEL
    with _LOCK:
        if _EXECUTOR is None:
            try:
                # A frozen build spawns by re-running its own executable; its entry scripts
                # (packaging/pyinstaller/*_entry.py) call multiprocessing.freeze_support()
                # first, so that run becomes the worker, not a second app.
                ctx = multiprocessing.get_context("spawn")  # never fork a process running Qt
                _CANCEL = ctx.RawValue("q", 0)  # one aligned integer: read without a lock
                _EXECUTOR = cf.ProcessPoolExecutor(
                    max_workers=1, mp_context=ctx,
                    initializer=workercalls.set_cancel_flag, initargs=(_CANCEL,))
                with without_main_module():
                    _EXECUTOR.submit(workercalls.call, "warm_up")  # starts the worker now
            except (OSError, ValueError, NotImplementedError):
                _CANCEL = SimpleNamespace(value=0)
                _EXECUTOR = cf.ThreadPoolExecutor(
                    max_workers=1, initializer=workercalls.set_cancel_flag, initargs=(_CANCEL,))
            atexit.register(shutdown_executor)
        return _EXECUTOR


def shutdown_executor(wait: bool = False) -> None:
    """Stop the worker. Without wait, its process is terminated: it holds nothing worth keeping,
    and a worker outliving the app would keep the app's stdout/stderr pipes open."""
    global _EXECUTOR
    with _LOCK:
        ex, _EXECUTOR = _EXECUTOR, None
    if ex is None:
        return
    processes = list((getattr(ex, "_processes", None) or {}).values())
    ex.shutdown(wait=wait, cancel_futures=True)
    if not wait:
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.terminate()
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.join(2)


def ask_worker(name: str, *args: Any) -> Any:
    """pipeline.<name>(*args) in the analysis worker, where the kept Posts are; None if there is
    no worker (never starts one: this may run after shutdown, at exit) or it failed."""
    with _LOCK:
        ex = _EXECUTOR
    if ex is None:
        return None
    give_up(_IDLE_TICKET)  # the caller waits: idle-time work must not make it wait longer
    try:
        return ex.submit(workercalls.call, name, *args).result(timeout=FETCH_TIMEOUT_S)
    except Exception:  # a crashed or stuck worker: the caller works it out here
        return None


def _submit_call(name: str, *args: Any) -> cf.Future:
    """pipeline.<name>(*args) submitted to the worker, started if needed (again, if it
    crashed)."""
    try:
        return executor().submit(workercalls.call, name, *args)
    except (RuntimeError, cf.BrokenExecutor):
        shutdown_executor()  # a crashed worker process: start a fresh one
        return executor().submit(workercalls.call, name, *args)


def submit_to_worker(name: str, *args: Any) -> cf.Future:
    """pipeline.<name>(*args) in the analysis worker, without waiting: for the GUI's longer
    one-off jobs (an export). Idle-time work is given up first."""
    give_up(_IDLE_TICKET)
    return _submit_call(name, *args)


def run_in_worker(reply: Any, tag: object, name: str, *args: Any) -> None:
    """submit_to_worker, then `reply.emit(tag, future)` once it is done. The emit may come
    from an executor thread or, for a job already done, from this one: connect `reply`
    queued. A reply to a dialog closed meanwhile is dropped."""
    def relay(future: cf.Future) -> None:
        with contextlib.suppress(RuntimeError):  # the receiver is already gone
            reply.emit(tag, future)

    submit_to_worker(name, *args).add_done_callback(relay)


def fetch_post(result: AnalysisResult) -> Post:
    """The Post a result was made from, for the actions that need links in full.

    The worker kept it (pipeline.stored_post); the wait is at most the analysis in flight.
    If the worker no longer has it (restarted, or many newer analyses since), the result's own
    text is parsed again here, which gives the same Post. Safe from any thread.
    """
    post = result.post_cache
    if post is not None:
        return post
    post = ask_worker("stored_post", result.doc_id, result.revision)
    if post is None or post.text != result.text:
        from linkwriter.core.extract import parse_post  # the parser lives in the worker

        post = parse_post(result.text)
    result.post_cache = post
    return post


def give_up(ticket: int) -> None:
    """Ask the worker to drop the analysis with this ticket at its next checkpoint."""
    flag = _CANCEL
    if flag is not None and ticket:
        flag.value = ticket


class Analyzer(QObject):
    """One analysis in flight per window; a newer request waits and replaces older waiting
    ones, and the one in flight is given up (core.cancel): its text is already out of date.

    When an analysis is delivered and nothing waits, the worker is asked to prepare for the
    next edits in its idle time (pipeline.prepare); a request gives that job up at once.
    """

    finished = Signal(object)  # AnalysisResult, delivered in the GUI thread
    failed = Signal(str)
    _done = Signal(object)

    def __init__(self, parent: QObject | None = None, doc_id: str | None = None) -> None:
        super().__init__(parent)
        self.doc_id = doc_id  # lets the worker re-parse only what changed in this document
        self._in_flight = False  # a job of this window's runs in the worker
        self._closed = False
        self._future: cf.Future | None = None
        self._ticket = 0  # of the job in flight
        self.shown: int | None = None  # revision of the result the window shows (set by it)
        self.given_up = 0  # how many were given up for a newer text
        self.prepared = 0  # blocks the worker parsed ahead for this document (pipeline.prepare)
        self._preparing = False  # the job in flight is pipeline.prepare, not an analysis
        self._waiting: tuple[int, str, Config, dict[str, Any] | None] | None = None
        # Queued even from this thread: a job done before _submit attaches its callback runs
        # _relay here, and its result must not be delivered from inside request().
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def request(self, revision: int, text: str, config: Config,
                reports: dict[str, Any] | None = None) -> None:
        if self._closed:
            return
        give_up(_IDLE_TICKET)  # another window's idle-time job: the worker is shared
        if self._in_flight:
            self._waiting = (revision, text, config, reports)
            give_up(self._ticket)
            return
        ticket = next(_TICKETS)
        args = (revision, text, config, reports, self.doc_id, ticket, self.shown)
        self._submit("build_result", ticket, args, text)

    @property
    def busy(self) -> bool:
        """An analysis is in flight or waits for the idle-time job in flight to give up (that
        job alone does not count: any request gives it up)."""
        return self._waiting is not None or (self._in_flight and not self._preparing)

    def _submit(self, name: str, ticket: int, args: tuple, text: str | None) -> None:
        self._in_flight = True
        self._ticket = ticket
        self._preparing = name == "prepare"
        future = _submit_call(name, *args)
        self._future = future
        future.add_done_callback(functools.partial(self._relay, text))

    def prepare(self) -> bool:
        """Let the worker parse ahead for this document while the writer reads or thinks;
        only in a worker process: in a thread it would compete with typing for the GIL."""
        global _IDLE_TICKET
        if self._in_flight or self._closed or self.doc_id is None or self._waiting is not None:
            return False
        if not isinstance(executor(), cf.ProcessPoolExecutor):
            return False
        _IDLE_TICKET = ticket = next(_TICKETS)
        self._submit("prepare", ticket, (self.doc_id, ticket), None)
        return True

    def _relay(self, text: str | None, future: cf.Future) -> None:
        """Runs in an executor thread, or in the GUI thread for a job already done when its
        callback was attached: either way the result reaches the GUI thread by queued signal."""
        if self._closed:
            return
        try:
            result = future.result()
        except Exception as exc:  # a crashed worker: report it, keep the app alive
            result = exc
        if isinstance(result, AnalysisResult) and result.text is None:
            result.text = text  # not sent back (AnalysisResult.__getstate__)
        if not self._closed:
            self._done.emit(result)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        global _IDLE_TICKET
        self._in_flight = False
        self._future = None
        preparing, self._preparing = self._preparing, False
        if preparing and self._ticket == _IDLE_TICKET:
            _IDLE_TICKET = 0
        if self._waiting is not None:
            args, self._waiting = self._waiting, None
            self.request(*args)
        if preparing:
            if isinstance(result, int):
                self.prepared += result
            return  # given up, or failed: it was only ahead-of-time work
        if isinstance(result, AnalysisResult):
            self.finished.emit(result)
            self.prepare()  # unless the window asked for a newer text meanwhile
        elif result is None:
            self.given_up += 1  # for the newer text just requested above
        elif self._waiting is None and not self._in_flight:
            self.failed.emit(str(result))

    def shutdown(self) -> None:
        """Stop delivering results; wait for the job in flight so the worker is free again
        (given up first: closing a big post's window need not wait out its analysis)."""
        self._waiting = None
        self._closed = True
        future = self._future
        if future is not None:
            give_up(self._ticket)
            with contextlib.suppress(Exception):  # closing: the result no longer matters
                future.result(timeout=30)
