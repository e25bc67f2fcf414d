"""Keeping analysis positions valid while the writer types.

Analysis runs on a snapshot; by the time its results arrive (or a fix is applied) the text
may have moved on. Spans are kept in UTF-16 document positions and shifted on every edit
(cheap: a bisect plus a tail shift), and single positions are mapped forward through the log
of edits made since the snapshot. No Qt here, so it is tested on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Sorted (start, end, tag) spans that follow the text as it is edited."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tags: list[T] = []
        self._max_len = 0

    def __len__(self) -> int:
        return len(self.starts)

    def set(self, spans: list[tuple[int, int, T]]) -> None:
        spans = sorted(spans, key=lambda s: (s[0], s[1]))
        self.starts = [s[0] for s in spans]
        self.ends = [s[1] for s in spans]
        self.tags = [s[2] for s in spans]
        self._max_len = max((e - s for s, e, _ in spans), default=0)

    def spans(self) -> list[tuple[int, int, T]]:
        return list(zip(self.starts, self.ends, self.tags, strict=True))

    def overlapping(self, a: int, b: int) -> Iterator[tuple[int, int, T]]:
        """Spans that intersect [a, b) (nested spans such as an image inside a link too)."""
        lo = bisect_left(self.starts, a - self._max_len)
        hi = bisect_left(self.starts, b)
        for i in range(lo, hi):
            if self.ends[i] > a:
                yield self.starts[i], self.ends[i], self.tags[i]

    def at(self, pos: int) -> list[tuple[int, int, T]]:
        """Spans containing pos (end inclusive, so a caret right after a link still finds it)."""
        lo = bisect_left(self.starts, pos - self._max_len)
        hi = bisect_right(self.starts, pos)
        return [
            (self.starts[i], self.ends[i], self.tags[i])
            for i in range(lo, hi)
            if self.ends[i] >= pos
        ]

    def apply_edit(self, pos: int, removed: int, added: int) -> bool:
        """Shift spans after the edit; stretch a span edited inside; drop ones cut apart.

        Returns True if a span was stretched or dropped (its verdict may no longer hold).
        """
        delta = added - removed
        edit_end = pos + removed
        tail = bisect_left(self.starts, edit_end)
        touched = False
        drop: list[int] = []
        for i in range(bisect_left(self.starts, pos - self._max_len), tail):
            s, e = self.starts[i], self.ends[i]
            if e <= pos:
                continue  # entirely before the edit (typing right after a link included)
            touched = True
            if s <= pos and edit_end <= e and e + delta > s:
                self.ends[i] = e + delta
                self._max_len = max(self._max_len, e + delta - s)
            else:
                drop.append(i)
        if delta and tail < len(self.starts):
            self.starts[tail:] = [x + delta for x in self.starts[tail:]]
            self.ends[tail:] = [x + delta for x in self.ends[tail:]]
        for i in reversed(drop):
            del self.starts[i], self.ends[i], self.tags[i]
        return touched


@dataclass(slots=True)
class Edit:
    pos: int
    removed: int
    added: int


class EditLog:
    """Edits made since a snapshot, to map the snapshot's positions to the current text."""

    def __init__(self) -> None:
        self.edits: list[Edit] = []

    def clear(self) -> None:
        self.edits.clear()

    def record(self, pos: int, removed: int, added: int) -> None:
        self.edits.append(Edit(pos, removed, added))

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where [start, end) of the snapshot is now, or None if an edit cut across it."""
        for ed in self.edits:
            edit_end = ed.pos + ed.removed
            delta = ed.added - ed.removed
            if edit_end <= start:
                start += delta  # before the span (an insertion exactly at start included)
                end += delta
            elif ed.pos >= end:
                continue  # after the span
            elif start <= ed.pos and edit_end <= end:
                end += delta  # inside the span: it stretches or shrinks
            else:
                return None
        return start, end

    def map_pos(self, pos: int) -> int | None:
        span = self.map_span(pos, pos)
        return None if span is None else span[0]
