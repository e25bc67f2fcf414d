"""Incremental extraction: after an edit, re-parse only the top-level blocks it touched.

At the top level markdown-it-py starts every block from a fresh state, and how far a block
reaches is decided by its own lines plus the first line after it. So re-parsing a stretch
that starts at an untouched block boundary, and ends where the new parse again has a block
boundary at the start of an untouched block, yields exactly what a full parse would. The
stretch grows until that holds (at worst it becomes the whole document). Reference
definitions are document-global: when the set of definitions changes, chunks that looked
up a changed label are re-parsed as well.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from typing import Any

from linkwriter.core.cancel import checkpoint
from linkwriter.core.extract import (
    BlockParse,
    Chunk,
    InlineCache,
    Layout,
    LinkMemo,
    build_post,
    parse_chunks,
    prune_cache,
    refs_from,
    rewalk,
)
from linkwriter.core.frontmatter import split_front_matter
from linkwriter.core.post import Post
from linkwriter.core.srcmap import BodyMap

__all__ = ["IncrementalExtractor"]


_STEP = 8192
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, comparing slices (C speed) a block at a time."""
    n = min(len(a), len(b))
    i = 0
    while i < n and b.startswith(a[i:i + _STEP], i):  # one slice copied, not two
        i += _STEP
    if i >= n:
        return n
    lo, hi = i, min(n, i + _STEP)
    while lo < hi:  # a[:lo] == b[:lo]; they differ before hi
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most `limit`."""
    la, lb = len(a), len(b)
    i = 0
    while i < limit:
        j = min(limit, i + _STEP)
        if not b.startswith(a[la - j:la - i], lb - j):
            break
        i = j
    if i >= limit:
        return limit
    lo, hi = i, min(limit, i + _STEP)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _defs_of(chunk: Chunk) -> list[tuple[str, str, str]]:
    return [(d["norm"], d["href"], d["title"] or "") for d in chunk.walk.defs]


class IncrementalExtractor:
    """Keeps the last parse; update(text) returns the same Post as parse_post(text)."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._prefix = ""
        self._chunks: list[Chunk] = []
        self._offsets: list[int] = [0]
        self._refs: dict[str, Any] = {}
        self.last_reparsed = 0  # chunks re-parsed by the last update (for tests/benchmarks)
        self._cache: InlineCache = {}  # inline blocks already walked, by content and lines
        self._memo = LinkMemo()  # each chunk's Links from the last update
        self._body: BodyMap | None = None
        self._def_chunks: list[int] = []  # indices of chunks holding definitions
        self._layout = Layout([0], [], 0)

    def update(self, text: str) -> Post:
        # The cache and memo hold many objects; a collection pass over them mid-update would
        # cost more than the update itself, and nothing here makes reference cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._update(text)
        finally:
            if enabled:
                gc.enable()

    def _update(self, text: str) -> Post:
        front_matter, body_start = split_front_matter(text)
        self._memo.clean = None
        if self._text is None or text[:body_start] != self._prefix or self._body is None:
            body = BodyMap(text, body_start)
            self._full(body)
        elif text != self._text:
            old = self._body
            body = self._new_map(text, body_start)
            self._incremental(old, body)
        else:
            body = self._body
            self._memo.clean = (len(text), len(text), 0)
            self.last_reparsed = 0
        self._body = body
        self._text = text
        self._prefix = text[:body_start]
        return build_post(text, front_matter, body, self._chunks, self._memo, self._layout)

    def prepare(self) -> int:
        """Parse ahead, in idle time, each block that uses reference definitions as it reads
        with them undefined; returns how many blocks were parsed.

        Definitions cannot interrupt a paragraph, so a stray character that stops one being a
        definition (a space typed into its URL, a new "[label" line typed above it) turns it
        and every definition after it into paragraph text, and every paragraph that used them
        must be parsed again: on a 1 MB post, 700 paragraphs and most of a second. Parsed
        ahead, they come from the inline cache instead. Safe to give up (core.cancel) at
        any block: what is parsed stays.
        """
        refs = self._refs
        if self._body is None or not refs:
            return 0
        offsets = self._offsets
        done = 0
        for i in self._def_users():
            chunk = self._chunks[i]
            entries = [e for e in chunk.walk.cached if e.key is not None]
            if all(e.prepared for e in entries):
                continue
            if not done & 7:
                checkpoint()
            undefined = dict(refs)
            for label in chunk.walk.lookups:
                undefined.pop(label, None)
            scratch: InlineCache = {}  # a parse of its own: the cache keeps the real results
            parse_chunks(self._body.nslice(offsets[i], offsets[i + 1]),
                         lambda _local, refs=undefined: refs, scratch)
            for key, guess in scratch.items():
                entry = self._cache.get(key)
                if entry is not None and not entry.prepared:  # guess is in scratch only
                    guess.other = guess.broken = None
                    entry.broken = guess
            done += 1
        return done

    def _def_users(self) -> list[int]:
        """Chunks that resolved at least one reference label to a definition."""
        refs = self._refs
        return [i for i, c in enumerate(self._chunks)
                if c.walk.lookups and any(refs.get(k) is not None for k in c.walk.lookups)]

    # -- internals -------------------------------------------------------------------------

    def _new_map(self, text: str, body_start: int) -> BodyMap:
        old = self._body
        assert old is not None and self._text is not None
        if body_start != old.body_start or old._head is None:
            return BodyMap(text, body_start)
        a = self._text
        p = _common_prefix(a, text)  # the front matter is equal, so p >= body_start
        s = _common_suffix(a, text, min(len(a), len(text)) - p)
        self._memo.clean = (p, len(text) - s, len(text) - len(a))
        return BodyMap.spliced(old, text, p - body_start, len(a) - s - body_start,
                               len(text) - len(a))

    def _full(self, body: BodyMap) -> None:
        chunks, _, _ = parse_chunks(body.nsrc, None, self._cache)
        self._set_chunks(chunks)
        self.last_reparsed = len(chunks)

    def _set_chunks(self, chunks: list[Chunk], layout: Layout | None = None) -> None:
        self._chunks = chunks
        prune_cache(self._cache, [e for c in chunks for e in c.walk.cached])
        self._layout = Layout.of(chunks) if layout is None else layout
        self._offsets = self._layout.offsets
        self._def_chunks = [i for i in self._layout.busy if chunks[i].walk.defs]
        defs = [d for i in self._def_chunks for d in _defs_of(chunks[i])]
        self._refs = refs_from(defs)

    def _incremental(self, old: BodyMap, body: BodyMap) -> None:
        """Re-parse the chunks around where what markdown-it-py parses changed."""
        chunks = self._chunks
        offsets = self._offsets
        n = len(chunks)
        if body.ndiff is not None:  # known from splicing the map: no text compared again
            p, s = body.ndiff
        else:
            a, b = old.nsrc, body.nsrc
            p = _common_prefix(a, b)
            s = _common_suffix(a, b, min(len(a), len(b)) - p)
        old_end = old.nlen - s
        delta = body.nlen - old.nlen
        first = max(0, bisect_right(offsets, p) - 1 - 2)  # two untouched chunks of margin
        last = min(n - 1, bisect_right(offsets, max(old_end - 1, p)) - 1)
        extra = 1
        while True:
            stop = last + extra  # chunk index that must start at a boundary again
            to_end = stop >= n
            start_off = offsets[first]
            end_off = body.nlen if to_end else offsets[stop + 1] + delta
            region = body.nslice(start_off, end_off)
            before = [d for i in self._def_chunks if i < first for d in _defs_of(chunks[i])]
            after = [] if to_end else [d for i in self._def_chunks if i > stop
                                       for d in _defs_of(chunks[i])]
            new_refs: dict[str, Any] = {}

            def refs_for(local: list[tuple[str, str, str]], before: list = before,
                         after: list = after, box: dict = new_refs) -> dict[str, Any]:
                box.update(refs_from(before + local + after))
                return box

            # Block structure first: whether the stretch ends at a boundary is known from it,
            # and a paragraph that swallows the lines after the edit (definitions a stray
            # space ended) would otherwise be inline-parsed again at every doubling.
            blocks = BlockParse.of(region)
            if to_end:
                break
            want = offsets[stop] - start_off + delta  # where untouched chunk `stop` starts
            if want in blocks.chunk_offsets():
                break
            # Mostly a paragraph ran on past the stretch (definitions a stray space ended):
            # it ends at the next blank line at the latest, unless something interrupts it,
            # so grow to there at once rather than block-parse ever longer stretches
            # (doubling from one chunk took 11 attempts over a 1,000-line run).
            extra = max(2 * extra, self._after_blank(body, end_off, delta) - last)
        region_chunks, _, _ = parse_chunks(region, refs_for, self._cache, blocks=blocks)
        tail = [] if to_end else chunks[stop + 1:]
        new_chunks = chunks[:first] + region_chunks + tail
        self.last_reparsed = len(region_chunks)
        changed = _changed_labels(self._refs, new_refs)
        if changed:
            redo = [i for i, c in enumerate(new_chunks)
                    if (i < first or i >= first + len(region_chunks))
                    and not c.walk.lookups.isdisjoint(changed)]
            if redo:  # whether those chunks hold links may change: lay out afresh
                self._reparse_for_refs(new_chunks, redo, body, new_refs)
                self._set_chunks(new_chunks)
                return
        self._set_chunks(new_chunks, self._layout.spliced(
            chunks, first, n if to_end else stop + 1, region_chunks))

    def _after_blank(self, body: BodyMap, pos: int, delta: int) -> int:
        """The first chunk starting at or after the first blank line from pos (new offsets)
        on: the chunk count when there is none."""
        m = _BLANK_LINE.search(body.nsrc, max(0, pos - 1))
        if m is None:
            return len(self._chunks)
        return bisect_left(self._offsets, m.start() + 1 - delta)

    def _reparse_for_refs(self, chunks: list[Chunk], redo: list[int], body: BodyMap,
                          refs: dict[str, Any]) -> None:
        offsets = [0]
        for c in chunks:
            offsets.append(offsets[-1] + c.length)
        for k, i in enumerate(redo):
            if not k & 7:
                checkpoint()  # what is parsed so far stays in the inline cache
            fast = rewalk(chunks[i], refs, self._cache)  # parsed before: prepare, an undo
            if fast is not None:
                chunks[i] = fast
                continue
            piece = body.nslice(offsets[i], offsets[i + 1])
            parsed, _, _ = parse_chunks(piece, lambda _local: refs, self._cache)
            if len(parsed) == 1:
                chunks[i] = parsed[0]
            else:  # cannot happen for an unchanged block; stay exact regardless
                merged = parsed[0]
                for extra in parsed[1:]:
                    _append(merged, extra)
                chunks[i] = merged
            self.last_reparsed += 1


def _append(into: Chunk, extra: Chunk) -> None:
    from linkwriter.core.extract import _shift_walk

    _shift_walk(extra.walk, into.length)
    w = into.walk
    w.raws.extend(extra.walk.raws)
    w.defs.extend(extra.walk.defs)
    w.headings.extend(extra.walk.headings)
    w.markers.extend(extra.walk.markers)
    w.words += extra.walk.words
    w.lookups |= extra.walk.lookups
    w.cached.extend(extra.walk.cached)
    w.cached_at.extend(extra.walk.cached_at)
    into.length += extra.length
    into.n_lines += extra.n_lines


def _changed_labels(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    changed = {k for k in old.keys() ^ new.keys()}
    changed.update(k for k in old.keys() & new.keys() if old[k] != new[k])
    return changed
