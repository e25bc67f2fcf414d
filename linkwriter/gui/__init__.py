"""The Qt layer. Importing it applies the CPython 3.11 workaround below before any Qt call."""

from __future__ import annotations

import ctypes
import platform
import sys


def _guard_none_refcount() -> None:
    """PySide6 6.12 drops one reference to None on every call of a void Qt method.

    On CPython 3.12+ None is immortal and nothing happens; on 3.10/3.11 None's reference count
    (a few thousand at start) reaches zero after that many calls, and the interpreter aborts
    ("none_dealloc"). Raising the count once by 2**60 keeps a long session safe. None is never
    freed, so the extra count has no other effect.
    """
    if platform.python_implementation() != "CPython" or sys.version_info >= (3, 12):
        return
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 60


_guard_none_refcount()
