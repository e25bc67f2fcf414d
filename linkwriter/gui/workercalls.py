"""Calls into the analysis worker by name, so the GUI process never imports the worker's code.

A function sent to a process pool is pickled as a reference, and pickling it means importing
its module: the parser, the rules and relevance, about 6 MB the GUI process has no use for.
The worker imports them when it first runs `call`.
"""

from __future__ import annotations

from typing import Any


def call(name: str, *args: Any) -> Any:
    """pipeline.<name>(*args), in whichever process runs this."""
    from linkwriter.gui import pipeline  # here, not at the top: see above (PyInstaller sees it)

    return getattr(pipeline, name)(*args)


# Shared with the GUI process (a multiprocessing RawValue made with the executor): the ticket
# of the analysis the GUI has given up, read by pipeline.build_result at its checkpoints.
_CANCEL_FLAG: Any = None


def set_cancel_flag(flag: Any) -> None:
    """The executor's initializer: runs once in each worker (process or thread)."""
    global _CANCEL_FLAG
    _CANCEL_FLAG = flag


def cancel_flag() -> Any:
    return _CANCEL_FLAG
