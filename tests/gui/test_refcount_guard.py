"""PySide6 6.12 on CPython < 3.12 drops a reference to None on void calls and to True on every
Signal.emit(): a long session would abort the interpreter. linkwriter.gui guards both."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import linkwriter.gui  # noqa: F401 (applies the guard)


class _Emitter(QObject):
    fired = Signal(object)


def test_many_emits_and_void_calls_keep_the_singletons_alive():
    emitter = _Emitter()
    for _ in range(5000):  # more than True's whole reference count on a fresh 3.11
        emitter.fired.emit(1)
        emitter.blockSignals(False)  # a void-like call
    for name, obj in (("None", None), ("True", True), ("False", False)):
        assert sys.getrefcount(obj) > 1 << 40 or sys.version_info >= (3, 12), name
