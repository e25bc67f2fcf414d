"""Span tracking through edits (pure Python, the basis of highlighting and fix mapping)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linkwriter.gui.spans import EditLog, SpanIndex


def make(spans):
    idx = SpanIndex()
    idx.set([(s, e, n) for n, (s, e) in enumerate(spans)])
    return idx


def test_insert_before_shifts_and_inside_stretches():
    idx = make([(10, 20), (30, 40)])
    idx.apply_edit(0, 0, 5)
    assert idx.spans() == [(15, 25, 0), (35, 45, 1)]
    idx.apply_edit(17, 0, 2)  # typing inside the first link
    assert idx.spans() == [(15, 27, 0), (37, 47, 1)]
    idx.apply_edit(27, 0, 1)  # typing right after the first link does not grow it
    assert idx.spans() == [(15, 27, 0), (38, 48, 1)]
    idx.apply_edit(38, 0, 1)  # typing right before the second shifts it
    assert idx.spans() == [(15, 27, 0), (39, 49, 1)]


def test_edit_across_a_boundary_drops_the_span():
    idx = make([(10, 20), (30, 40)])
    assert idx.apply_edit(18, 5, 0)  # deletes the end of the first link
    assert idx.spans() == [(25, 35, 1)]


def test_overlapping_and_at():
    idx = make([(0, 5), (10, 30), (12, 20)])  # an image inside a link
    assert [t for _, _, t in idx.overlapping(13, 14)] == [1, 2]
    assert [t for _, _, t in idx.at(5)] == [0]
    assert idx.at(7) == []


def test_edit_log_maps_spans():
    log = EditLog()
    log.record(0, 0, 3)
    log.record(50, 2, 0)
    assert log.map_span(10, 20) == (13, 23)
    assert log.map_pos(60) == 61
    log.record(14, 0, 4)  # inside
    assert log.map_span(10, 20) == (13, 27)
    log.record(25, 5, 0)  # cuts across the end
    assert log.map_span(10, 20) is None


@given(st.integers(0, 40),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.integers(0, 4)),
                max_size=6))
def test_edit_log_agrees_with_real_edits(length, edits):
    """Track every original character through the edits; untouched spans must map exactly."""
    chars: list[int | None] = list(range(length))
    log = EditLog()
    index = SpanIndex()
    spans = [(i, min(length, i + 3)) for i in range(0, length, 5) if i < min(length, i + 3)]
    index.set([(s, e, n) for n, (s, e) in enumerate(spans)])
    for pos, removed, added in edits:
        pos = min(pos, len(chars))
        removed = min(removed, len(chars) - pos)
        chars[pos:pos + removed] = [None] * added
        log.record(pos, removed, added)
        index.apply_edit(pos, removed, added)
    tracked = {t: (s, e) for s, e, t in index.spans()}
    for n, (s, e) in enumerate(spans):
        where = [chars.index(c) if c in chars else None for c in range(s, e)]
        intact = None not in where and where == list(range(where[0], where[0] + e - s))
        if intact:
            assert log.map_span(s, e) == (where[0], where[0] + e - s)
            assert tracked.get(n) == (where[0], where[0] + e - s)


def naive_apply(spans, pos, removed, added):
    """The plain rule SpanIndex must follow, one span at a time."""
    delta, edit_end, out = added - removed, pos + removed, []
    for s, e, t in spans:
        if e <= pos:
            out.append((s, e, t))
        elif s >= edit_end:
            out.append((s + delta, e + delta, t))
        elif s <= pos and edit_end <= e and e + delta > s:
            out.append((s, e + delta, t))
    return sorted(out, key=lambda x: (x[0], x[1]))


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), max_size=25),
       st.lists(st.tuples(st.integers(0, 220), st.integers(0, 6), st.integers(0, 6)),
                max_size=30))
def test_pending_shift_matches_the_plain_rule(raw, edits):
    """The lazy tail shift gives the same spans, lookups and answers as shifting eagerly."""
    spans = sorted([(s, s + n, i) for i, (s, n) in enumerate(raw)], key=lambda x: (x[0], x[1]))
    idx = SpanIndex()
    idx.set(spans)
    model = list(spans)
    for pos, removed, added in edits:
        idx.apply_edit(pos, removed, added)
        model = naive_apply(model, pos, removed, added)
        assert idx.spans() == model
        for probe in (pos, pos + added, max(0, pos - 3), pos + 7):
            assert sorted(idx.overlapping(probe, probe + 5)) == sorted(
                x for x in model if x[0] < probe + 5 and x[1] > probe)
            assert sorted(idx.at(probe)) == sorted(
                x for x in model if x[0] <= probe <= x[1])
