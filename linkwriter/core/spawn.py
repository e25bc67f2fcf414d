"""Starting spawned helper processes from an app or a script."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator


@contextlib.contextmanager
def without_main_module() -> Iterator[None]:
    """A spawned process re-imports the parent's __main__ unless told otherwise; ours have no
    use for it (it may be a script that opens windows or has side effects), so hide it while
    the process starts."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
