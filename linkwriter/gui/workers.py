"""A latest-only background runner: one job in flight, newer requests replace waiting ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Job(QRunnable):
    def __init__(self, done: Any, tag: object, fn: Callable[..., Any], args: tuple) -> None:
        super().__init__()
        self._done = done
        self._tag = tag
        self._fn = fn
        self._args = args

    def run(self) -> None:
        try:
            result, error = self._fn(*self._args), ""
        except Exception as exc:  # reported to the GUI as text, never a traceback
            result, error = None, f"{type(exc).__name__}: {exc}"
        self._done.emit(self._tag, result, error)


class LatestRunner(QObject):
    finished = Signal(object, object, str)  # tag, result, error
    _done = Signal(object, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.busy = False
        self._waiting: tuple[object, Callable[..., Any], tuple] | None = None
        self._done.connect(self._on_done)

    def request(self, tag: object, fn: Callable[..., Any], *args: Any) -> None:
        if self.busy:
            self._waiting = (tag, fn, args)
            return
        self.busy = True
        self.pool.start(_Job(self._done, tag, fn, args))

    @Slot(object, object, str)
    def _on_done(self, tag: object, result: object, error: str) -> None:
        self.busy = False
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self.request(waiting[0], waiting[1], *waiting[2])
            return  # a newer request supersedes this result
        self.finished.emit(tag, result, error)

    def shutdown(self) -> None:
        self._waiting = None
        self.pool.waitForDone(10_000)
