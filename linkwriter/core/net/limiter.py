"""Politeness per host: at most N requests at once, a minimum interval between request
starts, and a shared backoff when the host asks us to slow down (429/503 Retry-After)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


class Cancelled(Exception):
    """The run was cancelled while waiting for a host."""


class DeadlinePassed(Exception):
    """Waiting for the host would overrun the URL's deadline."""


@dataclass
class _Host:
    slots: threading.BoundedSemaphore
    interval: float
    next_start: float = 0.0
    backoff_until: float = 0.0
    throttled_until: float = 0.0  # end of the wait the last Retry-After asked for
    lock: threading.Lock = field(default_factory=threading.Lock)


class HostLimiter:
    def __init__(
        self,
        concurrency: int,
        interval: float,
        overrides: dict[str, dict] | None = None,
        cancel: threading.Event | None = None,
        global_limit: int = 0,
    ) -> None:
        self._concurrency = max(1, concurrency)
        # Requests in flight across all hosts; waits (interval, backoff) do not count.
        self._global = _FifoGate(global_limit) if global_limit > 0 else None
        self._interval = max(0.0, interval)
        self._overrides = {k.lower(): v for k, v in (overrides or {}).items()}
        self._hosts: dict[str, _Host] = {}
        self._limits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._cancel = cancel or threading.Event()

    def concurrency(self, host: str) -> int:
        known = self._limits.get(host)
        if known is None:
            value = self._override(host).get("concurrency", self._concurrency)
            known = self._limits[host] = max(1, int(value))
        return known

    def _override(self, host: str) -> dict:
        host = host.lower()
        if host in self._overrides:
            return self._overrides[host]
        bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return self._overrides.get(bare, {})

    def _host(self, host: str) -> _Host:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                over = self._override(host)
                interval = float(over.get("interval", self._interval))
                state = _Host(
                    threading.BoundedSemaphore(self.concurrency(host)), max(0.0, interval)
                )
                self._hosts[host] = state
            return state

    @contextlib.contextmanager
    def slot(self, host: str, deadline: float, *, urgent: bool = False) -> Iterator[None]:
        """Hold one of the host's request slots, started no sooner than its interval allows,
        and one of the global slots while the request is in flight. urgent: a request of a URL
        already under way (a retry, a redirect hop) takes the next free global slot before the
        first requests of URLs not yet started, so a retry does not queue behind new work."""
        state = self._host(host)
        while not state.slots.acquire(timeout=0.05):
            self._check(deadline)
        try:
            with state.lock:
                now = time.monotonic()
                start = max(now, state.next_start, state.backoff_until)
                state.next_start = start + state.interval
            self.sleep(start - now, deadline)
            if self._global is None:
                yield
            else:
                self._global.acquire(lambda: self._check(deadline), urgent=urgent)
                try:
                    yield
                finally:
                    self._global.release()
        finally:
            state.slots.release()

    def back_off(self, host: str, seconds: float) -> None:
        """Pause every request to the host."""
        state = self._host(host)
        with state.lock:
            state.backoff_until = max(state.backoff_until, time.monotonic() + seconds)

    def retry_after(self, host: str, seconds: float) -> None:
        """A Retry-After answer. The asking request always waits (the caller sleeps); the whole
        host pauses when it says so again within the wait, i.e. when it is really throttling
        us rather than turning one request away."""
        state = self._host(host)
        with state.lock:
            now = time.monotonic()
            if state.throttled_until > now:
                state.backoff_until = max(state.backoff_until, now + seconds)
            state.throttled_until = max(state.throttled_until, now + seconds)

    def sleep(self, seconds: float, deadline: float) -> None:
        if seconds <= 0:
            self._check(deadline)
            return
        if time.monotonic() + seconds > deadline:
            raise DeadlinePassed
        if self._cancel.wait(seconds):
            raise Cancelled

    def _check(self, deadline: float) -> None:
        if self._cancel.is_set():
            raise Cancelled
        if time.monotonic() > deadline:
            raise DeadlinePassed


class _FifoGate:
    """A counting gate that hands freed slots to waiters in arrival order. A plain semaphore
    lets the thread that just released barge back in, which starves some hosts and stretches
    the end of a run."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._waiters: deque[threading.Event] = deque()
        self._urgent: deque[threading.Event] = deque()  # served first, in arrival order
        self._lock = threading.Lock()

    def acquire(self, check: Callable[[], None], *, urgent: bool = False) -> None:
        with self._lock:
            if self._free > 0 and not self._waiters and not self._urgent:
                self._free -= 1
                return
            ticket = threading.Event()
            line = self._urgent if urgent else self._waiters
            line.append(ticket)
        try:
            while not ticket.wait(0.05):
                check()  # raises on cancel or deadline
        except BaseException:
            with self._lock:
                if ticket in line:
                    line.remove(ticket)
                    ticket = None  # type: ignore[assignment]
            if ticket is not None:
                self.release()  # the slot was handed over just as we gave up
            raise

    def release(self) -> None:
        with self._lock:
            line = self._urgent or self._waiters
            if line:
                line.popleft().set()  # the slot passes straight to the next in line
            else:
                self._free += 1


def parse_retry_after(value: str | None, cap: float, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), cap)
