"""Python str offsets are code points; Qt positions are UTF-16 code units. Convert here only."""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Map:
    """Converts between code-point offsets and UTF-16 offsets of one text in O(log n)."""

    __slots__ = ("_astral", "_length")

    def __init__(self, text: str) -> None:
        # Code-point indices of characters outside the BMP (each takes two UTF-16 units).
        # (Found by the regex engine: a Python loop over a 1 MB post costs tens of ms.)
        self._astral = (
            [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        )
        self._length = len(text)

    @property
    def identity(self) -> bool:
        """True when UTF-16 positions equal code-point offsets (no astral characters)."""
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_right(self._astral, offset - 1)

    def from_utf16(self, pos: int) -> int:
        """Inverse of to_utf16; a position inside a surrogate pair maps to that character."""
        astral = self._astral
        lo, hi = 0, len(astral)
        # k = astral characters that end (in UTF-16) at or before pos; astral[i] spans
        # UTF-16 units [astral[i] + i, astral[i] + i + 2).
        while lo < hi:
            mid = (lo + hi) // 2
            if astral[mid] + mid + 2 <= pos:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(astral) and astral[lo] + lo + 1 == pos:
            return astral[lo]  # inside a surrogate pair
        return max(0, min(self._length, pos - lo))


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, pos: int) -> int:
    return Utf16Map(text).from_utf16(pos)


class LineIndex:
    """1-based line and column (code points) of an offset; CRLF and lone CR end lines too."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        i, n = 0, len(text)
        while i < n:
            a = text.find("\n", i)
            b = text.find("\r", i)
            if a == -1 and b == -1:
                break
            if b != -1 and (a == -1 or b < a):
                i = b + 2 if text.startswith("\r\n", b) else b + 1
            else:
                i = a + 1
            starts.append(i)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]
