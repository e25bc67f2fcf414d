"""Python str offsets are code points; Qt positions are UTF-16 code units. Convert here only."""

from __future__ import annotations

from bisect import bisect_right


class Utf16Map:
    """Converts between code-point offsets and UTF-16 offsets of one text in O(log n)."""

    __slots__ = ("_astral", "_length")

    def __init__(self, text: str) -> None:
        # Code-point indices of characters outside the BMP (each takes two UTF-16 units).
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        self._length = len(text)

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_right(self._astral, offset - 1)

    def from_utf16(self, pos: int) -> int:
        """Inverse of to_utf16; a position inside a surrogate pair maps to that character."""
        lo, hi = 0, len(self._astral)
        # Find the number k of astral chars before the answer: offset = pos - k.
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid + 1 < pos:  # char ends (in UTF-16) before pos
                lo = mid + 1
            else:
                hi = mid
        return max(0, min(self._length, pos - lo))


def to_utf16(text: str, offset: int) -> int:
    return Utf16Map(text).to_utf16(offset)


def from_utf16(text: str, pos: int) -> int:
    return Utf16Map(text).from_utf16(pos)
