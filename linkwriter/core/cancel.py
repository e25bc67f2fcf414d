"""Giving up on an analysis whose text is already out of date.

The editor asks for an analysis on every pause in typing; when the writer types on, the one
in flight is for a text nobody will see, and finishing it only delays the one that matters
(on a 1 MB post, by up to a whole analysis). The long loops of the incremental path call
`checkpoint()`; inside `cancellable(check)`, it raises Cancelled once `check()` says so.
Outside one, it costs a thread-local lookup and does nothing, so the CLI and tests are as
before.

Every place that may be interrupted leaves its caches consistent: they only ever hold
complete entries keyed by content, and each object commits its new state at the end.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator


class Cancelled(Exception):  # noqa: N818 - names what happened, as concurrent.futures does
    """The analysis in progress was given up; nothing it changed needs undoing."""


_LOCAL = threading.local()


def checkpoint() -> None:
    check: Callable[[], bool] | None = getattr(_LOCAL, "check", None)
    if check is not None and check():
        raise Cancelled


@contextlib.contextmanager
def cancellable(check: Callable[[], bool] | None) -> Iterator[None]:
    """Within the block, checkpoint() raises Cancelled as soon as check() is true."""
    previous = getattr(_LOCAL, "check", None)
    _LOCAL.check = check
    try:
        yield
    finally:
        _LOCAL.check = previous
