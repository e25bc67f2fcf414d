"""Content fingerprints: the fast simhash gives exactly the values stored by earlier versions
(snapshots in users' caches are compared with new ones), and snapshots are stored in batches."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from linkwriter.core.net import Cache
from linkwriter.core.net.report import PageMeta
from linkwriter.core.net.snapshots import (
    SIMHASH_CHANGED,
    changed,
    distance,
    normalise,
    simhash,
    take_snapshot,
)


def reference_simhash(text: str) -> int:
    """The original bit-by-bit definition, kept here as the oracle."""
    words = normalise(text)
    shingles = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))] if words else []
    if not shingles:
        return 0
    weights = [0] * 64
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


WORDS = st.sampled_from(["the", "cat", "Sat", "on", "mat", "İstanbul", "café", "x1", "ß", "—"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join))
def test_simhash_matches_the_original_definition(text):
    assert simhash(text) == reference_simhash(text)


def test_simhash_on_a_long_page_and_edge_cases():
    page = " ".join(f"word{i % 997} and more" for i in range(3000))
    assert simhash(page) == reference_simhash(page)
    assert simhash("") == 0 == reference_simhash("")
    assert simhash("one") == reference_simhash("one") != 0
    assert simhash("one two") == reference_simhash("one two")


def test_similar_pages_stay_close_and_different_pages_far():
    base = " ".join(f"tomato{i % 50} grows in the sun" for i in range(300))
    assert distance(simhash(base), simhash(base + " one more line")) <= SIMHASH_CHANGED
    other = " ".join(f"casino{i % 40} bonus spins" for i in range(300))
    assert distance(simhash(base), simhash(other)) > SIMHASH_CHANGED


def _meta(text: str, title: str = "Tomatoes") -> PageMeta:
    return PageMeta(final_url="https://x.example/t", title=title, text=text)


def test_an_unchanged_page_reuses_the_stored_hash_and_a_changed_one_is_hashed():
    text = "Tomatoes grow best in full sun " * 30
    first = take_snapshot(_meta(text), "https://x.example/t")
    assert first.simhash == reference_simhash(text)
    # A stored baseline whose hash is deliberately odd: reused only when the text is the same.
    stored = type(first)(**{**{k: getattr(first, k) for k in first.__slots__}, "simhash": 12345})
    again = take_snapshot(_meta(text), "https://x.example/t", stored)
    assert again.simhash == 12345 and not changed(stored, again)
    edited = take_snapshot(_meta(text + " and water"), "https://x.example/t", stored)
    assert edited.simhash == reference_simhash(text + " and water")


def test_snapshots_are_stored_and_read_in_batches(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    snaps = {
        f"https://x.example/{i}": take_snapshot(_meta(f"page {i} " * 30), f"https://x.example/{i}")
        for i in range(1200)  # more than one chunk of the IN (...) query
    }
    cache.put_snapshots(list(snaps.items()))
    got = cache.get_snapshots([*snaps, "https://x.example/missing"])
    assert got == snaps
    assert cache.get_snapshot("https://x.example/7") == snaps["https://x.example/7"]
    cache.close()
    reopened = Cache(tmp_path / "c.sqlite3")
    assert len(reopened.get_snapshots(list(snaps))) == 1200
    reopened.close()
