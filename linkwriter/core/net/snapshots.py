"""Content fingerprints: an exact hash to notice any change and a 64-bit simhash to tell a
reworded page (small distance) from a different page (large distance)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone

from linkwriter.core.net.report import PageMeta, Snapshot

SIMHASH_CHANGED = 10  # bits of 64 that may differ before a page counts as a different page
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(normalise(text)).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
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


def distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def take_snapshot(meta: PageMeta, final_url: str) -> Snapshot:
    return Snapshot(
        final_url=final_url,
        title=meta.title,
        description=meta.description,
        fingerprint=fingerprint(meta.text),
        simhash=simhash(meta.text),
        date=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )


def _norm_title(title: str) -> str:
    return " ".join(normalise(title))


def changed(old: Snapshot, new: Snapshot) -> bool:
    """A different page, not a typo fix: the title changed or the text moved far."""
    if old.fingerprint == new.fingerprint and _norm_title(old.title) == _norm_title(new.title):
        return False
    if _norm_title(old.title) != _norm_title(new.title):
        return True
    return distance(old.simhash, new.simhash) > SIMHASH_CHANGED


def same_page(a: PageMeta, b: PageMeta) -> bool:
    """Used for the https upgrade: the https page must be the page the writer linked."""
    if _norm_title(a.title) != _norm_title(b.title):
        return False
    if fingerprint(a.text) == fingerprint(b.text):
        return True
    return distance(simhash(a.text), simhash(b.text)) <= SIMHASH_CHANGED
