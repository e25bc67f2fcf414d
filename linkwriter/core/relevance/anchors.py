"""Propose anchor text from a page's title: what the page says it is, in 2-6 words."""

from __future__ import annotations

import re

from linkwriter.core.relevance.pageinfo import PageInfo
from linkwriter.core.relevance.text import is_stop_word_anywhere, words

_SEPARATORS = re.compile(r"\s+[|·•—–-]\s+|\s*::\s*|:\s+")
_MD_SPECIAL = re.compile(r"([\[\]\\`*_<>])")
MIN_WORDS = 2
MAX_WORDS = 6


def _segments(title: str) -> list[str]:
    return [s.strip(" .,;!?\"'") for s in _SEPARATORS.split(title) if s.strip(" .,;!?\"'")]


def propose_anchor(page: PageInfo) -> str | None:
    """The first title segment that is not the site's name, trimmed to at most six words.

    "Understanding Dough Hydration: A Baker's Percentage Primer | Loaf Lab" becomes
    "Understanding Dough Hydration". Returns None when no 2-6 word phrase can be made.
    """
    site = (page.og.get("site_name") or "").casefold()
    candidates = []
    for source in (page.og.get("title", ""), page.title, *page.headings[:1]):
        for segment in _segments(" ".join(source.split())):
            if site and segment.casefold() == site:
                continue
            candidates.append(segment)
    for segment in candidates:
        tokens = segment.split()
        if len(tokens) > MAX_WORDS:
            tokens = tokens[:MAX_WORDS]
            # Do not end a cut phrase on a function word ("Growing tomatoes from").
            while tokens and is_stop_word_anywhere(tokens[-1].casefold().strip(",.;:")):
                tokens.pop()
            if tokens:
                tokens[-1] = tokens[-1].rstrip(",.;:")
        if MIN_WORDS <= len(tokens) <= MAX_WORDS and len(words(" ".join(tokens))) >= MIN_WORDS:
            return " ".join(tokens)
    return None


def escape_label(text: str) -> str:
    """Escape characters that would change the Markdown link label's meaning."""
    return _MD_SPECIAL.sub(r"\\\1", text)
