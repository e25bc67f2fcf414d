"""Keeping analysis positions valid while the writer types.

Analysis runs on a snapshot; by the time its results arrive (or a fix is applied) the text
may have moved on. Spans are kept in UTF-16 document positions and shifted on every edit
(cheap: a bisect plus a tail shift), and single positions are mapped forward through the log
of edits made since the snapshot. No Qt here, so it is tested on its own.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_POSITION = operator.itemgetter(0, 1)


class SpanIndex(Generic[T]):
    """Sorted (start, end, tag) spans that follow the text as it is edited.

    Typing shifts every span after the caret. Rewriting thousands of positions per keystroke
    would cost the GUI thread most of a millisecond, so the shift is kept pending: spans from
    index `_k` on are stored without the last `_d` units of shift, and only the few between
    an old and a new edit point are rewritten when the writer moves elsewhere.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []  # raw: add _d from index _k on
        self.ends: list[int] = []
        self.tags: list[T] = []
        self._max_len = 0
        self._k = 0
        self._d = 0

    def __len__(self) -> int:
        return len(self.starts)

    def set(self, spans: list[tuple[int, int, T]]) -> None:
        spans = sorted(spans, key=_POSITION)  # one pass when in order, as the worker sends them
        self.starts = [s[0] for s in spans]
        self.ends = [s[1] for s in spans]
        self.tags = [s[2] for s in spans]
        self._max_len = max(map(operator.sub, self.ends, self.starts), default=0)
        self._k = len(spans)
        self._d = 0

    def _start(self, i: int) -> int:
        return self.starts[i] + (self._d if i >= self._k else 0)

    def _end(self, i: int) -> int:
        return self.ends[i] + (self._d if i >= self._k else 0)

    def _bisect(self, x: int, right: bool = False) -> int:
        """bisect over the true starts, the pending shift included."""
        find = bisect_right if right else bisect_left
        k, n = self._k, len(self.starts)
        if k < n and (x >= self.starts[k] + self._d if right else x > self.starts[k] + self._d):
            return find(self.starts, x - self._d, k, n)
        return find(self.starts, x, 0, k)

    def _settle(self, lo: int, hi: int, delta: int) -> None:
        for i in range(lo, hi):
            self.starts[i] += delta
            self.ends[i] += delta

    def spans(self) -> list[tuple[int, int, T]]:
        return [(self._start(i), self._end(i), self.tags[i]) for i in range(len(self.starts))]

    def overlapping(self, a: int, b: int) -> Iterator[tuple[int, int, T]]:
        """Spans that intersect [a, b) (nested spans such as an image inside a link too)."""
        lo = self._bisect(a - self._max_len)
        hi = self._bisect(b)
        for i in range(lo, hi):
            e = self._end(i)
            if e > a:
                yield self._start(i), e, self.tags[i]

    def at(self, pos: int) -> list[tuple[int, int, T]]:
        """Spans containing pos (end inclusive, so a caret right after a link still finds it)."""
        lo = self._bisect(pos - self._max_len)
        hi = self._bisect(pos, right=True)
        out = []
        for i in range(lo, hi):
            e = self._end(i)
            if e >= pos:
                out.append((self._start(i), e, self.tags[i]))
        return out

    def apply_edit(self, pos: int, removed: int, added: int) -> bool:
        """Shift spans after the edit; stretch a span edited inside; drop ones cut apart.

        Returns True if a span was stretched or dropped (its verdict may no longer hold).
        """
        delta = added - removed
        edit_end = pos + removed
        tail = self._bisect(edit_end)
        touched = False
        drop: list[int] = []
        for i in range(self._bisect(pos - self._max_len), tail):
            s, e = self._start(i), self._end(i)
            if e <= pos:
                continue  # entirely before the edit (typing right after a link included)
            touched = True
            if s <= pos and edit_end <= e and e + delta > s:
                self.ends[i] += delta
                self._max_len = max(self._max_len, e + delta - s)
            else:
                drop.append(i)
        for i in reversed(drop):
            del self.starts[i], self.ends[i], self.tags[i]
            if i < self._k:
                self._k -= 1
            if i < tail:
                tail -= 1
        if delta:
            # Spans from `tail` on move by delta: fold it into the pending shift, settling only
            # the spans between the old and the new point where the pending shift starts.
            if tail >= self._k:
                self._settle(self._k, tail, self._d)
                self._k = tail
            else:
                self._settle(tail, self._k, delta)
            self._d += delta
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
