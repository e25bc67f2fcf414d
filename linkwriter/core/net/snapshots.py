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
    return _fingerprint(normalise(text))


def _fingerprint(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


# _BIT[k][v] is bit k of the byte v: bytes.translate then count(1) counts a bit over a column.
_BIT = [bytes((v >> k) & 1 for v in range(256)) for k in range(8)]


def simhash(text: str) -> int:
    return _simhash(normalise(text))


def _simhash(words: list[str]) -> int:
    """64-bit simhash of the word 3-shingles (blake2b-64 each; a bit is set when most shingle
    hashes have it). Counted per bit column in C: a page costs about a millisecond, not tens,
    and a check takes one snapshot of every page it reads."""
    if not words:
        return 0
    blake = hashlib.blake2b
    shingles = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))]
    digests = b"".join(blake(s.encode("utf-8"), digest_size=8).digest() for s in shingles)
    half = len(shingles)
    result = 0
    for byte in range(8):  # digest byte 0 is the most significant (the hash is big-endian)
        column = digests[byte::8]
        for k in range(8):
            if 2 * column.translate(_BIT[k]).count(1) > half:
                result |= 1 << ((7 - byte) * 8 + k)
    return result


def distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def take_snapshot(meta: PageMeta, final_url: str, previous: Snapshot | None = None) -> Snapshot:
    """previous: the stored baseline; when the text is unchanged its simhash is reused (the same
    words give the same hash), so re-checking cached pages costs no hashing."""
    words = normalise(meta.text)
    digest = _fingerprint(words)
    same = previous is not None and previous.fingerprint == digest
    return Snapshot(
        final_url=final_url,
        title=meta.title,
        description=meta.description,
        fingerprint=digest,
        simhash=previous.simhash if same else _simhash(words),
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
