"""The Qt layer. Importing it applies the CPython 3.11 workaround below before any Qt call."""

from __future__ import annotations

import ctypes
import platform
import sys


def _guard_singleton_refcounts() -> None:
    """PySide6 6.12 drops one reference to None on every call of a void Qt method, and one to
    True on every Signal.emit().

    On CPython 3.12+ these are immortal and nothing happens; on 3.10/3.11 their reference
    counts (a few hundred to a few thousand at start) reach zero after that many calls, and
    the interpreter aborts ("none_dealloc", "deallocating True or False"). Raising each count
    once by 2**60 keeps a long session safe. They are never freed, so the extra count has no
    other effect.
    """
    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 60


_guard_singleton_refcounts()
