"""The lexical relevance scorer: field-weighted coverage of the writer's terms by the page.

Why this shape: a writer's paragraph promises a handful of topic words; a page that fits
mentions them in its title, description, headings or text. Scoring the weighted share of the
writer's key terms the page covers gives a number in [0, 1] whose reasons are plain lists of
words ("shared: sourdough, starter; missing: hydration"), which is what the writer needs to see.
A second, smaller component checks the other direction (does the page's own focus appear in
the writer's text?) so that one shared homonym ("starter" of a car) does not pass as a match.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from linkwriter.core.relevance.pageinfo import PageInfo
from linkwriter.core.relevance.slug import slug_words
from linkwriter.core.relevance.text import (
    _all_stop_words,
    content_term_pairs,
    guess_language,
    latin_share,
    term_frequencies,
)
from linkwriter.core.relevance.weights import background_weights

# Writer-side field weights: the anchor promises most, then its sentence, then the paragraph.
ANCHOR_WEIGHT = 3.0
SENTENCE_WEIGHT = 2.0
PARAGRAPH_WEIGHT = 1.0
HEADING_WEIGHT = 0.8
POST_WEIGHT = 0.5
FOREIGN_STOP_FACTOR = 0.3
GENERIC_WEIGHT = 0.35  # background weight of the hand-written common words (0.30) and below
QUERY_TERMS = 12  # the writer's top terms that are compared (and named in messages)
PAGE_KEY_TERMS = 12
MAX_PAGE_CHARS = 16_000  # about the first 2,500 words: enough to know the subject

# Page-side coverage: how strongly a field mentioning a term shows the page is about it.
TITLE_COVER = 1.0
DESCRIPTION_COVER = 0.95
HEADING_COVER = 0.9
SLUG_COVER = 0.6

_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)


def term_pairs(text: str, lang: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of a text."""
    if len(text) > 400:
        return list(_long_term_pairs(text, lang))
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    return content_term_pairs(text, lang)


def _strip_urls(text: str) -> str:
    return _URL.sub(" ", text) if "://" in text or "www." in text else text


@lru_cache(maxsize=1024)
def _aggregate(text: str, lang: str) -> tuple[tuple[str, int, str], ...]:
    """(stem, count, first surface word) per distinct term, in reading order; memoised because
    every link of a paragraph (or a table full of links) shares the same context text."""
    counts: dict[str, int] = {}
    surface: dict[str, str] = {}
    for s, word in term_pairs(text, lang):
        counts[s] = counts.get(s, 0) + 1
        surface.setdefault(s, word)
    return tuple((s, c, surface[s]) for s, c in counts.items())


@lru_cache(maxsize=256)
def _long_term_pairs(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Paragraphs and tables with many links are tokenised once, not once per link."""
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    return tuple(content_term_pairs(text, lang))


@dataclass(frozen=True, slots=True)
class Query:
    """The writer's side of one link: weighted key terms plus every stem of the context."""

    lang: str
    weights: dict[str, float]  # top terms: stem -> weight
    surface: dict[str, str]  # stem -> the word as the writer wrote it
    context: frozenset[str]  # all stems of anchor, sentence, paragraph, heading
    anchor: tuple[str, ...] = ()  # anchor stems, in order

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def words(self, stems: Iterable[str]) -> list[str]:
        return [self.surface.get(s, s) for s in stems]


def build_query(
    *,
    anchor: str = "",
    sentence: str = "",
    paragraph: str = "",
    heading: str = "",
    post_terms: Iterable[str] = (),
    lang: str = "en",
    limit: int = QUERY_TERMS,
) -> Query:
    """Weight each stem by the strongest writer field it appears in, times its rarity."""
    background = background_weights(lang)
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    surface: dict[str, str] = {}
    anchor_stems: list[str] = []
    for s, count, word in _aggregate(anchor, lang) if anchor else ():
        surface.setdefault(s, word)
        counts[s] = counts.get(s, 0) + count
        anchor_stems.append(s)
        # "this blog post" or "read more" promise nothing: only topic words in the anchor get
        # the anchor's extra weight.
        field = ANCHOR_WEIGHT if background.get(s, 1.0) >= GENERIC_WEIGHT else PARAGRAPH_WEIGHT
        if field > best.get(s, 0.0):
            best[s] = field
    for text, field in (
        (sentence, SENTENCE_WEIGHT),
        (paragraph, PARAGRAPH_WEIGHT),
        (heading, HEADING_WEIGHT),
    ):
        if not text:
            continue
        for s, count, word in _aggregate(text, lang):
            if s in counts:
                counts[s] += count
            else:
                counts[s] = count
                surface[s] = word
            if field > best.get(s, 0.0):
                best[s] = field
    for s in post_terms:
        if s not in best:
            best[s] = POST_WEIGHT
            surface.setdefault(s, s)
    weights = {
        s: w * background.get(s, 1.0) * (
            1.0 + 0.15 * min(counts[s] - 1, 3) if counts.get(s, 0) else 1.0
        )
        for s, w in best.items()
    }
    foreign = _all_stop_words()
    for s in weights:
        # A function word of another language (a quoted foreign title) says little.
        if surface.get(s, "") in foreign:
            weights[s] *= FOREIGN_STOP_FACTOR
    top = dict(sorted(weights.items(), key=itemgetter(1), reverse=True)[:limit])
    return Query(lang, top, surface, frozenset(counts), tuple(dict.fromkeys(anchor_stems)))


def _text_cover(tf: int, n_words: int) -> float:
    """One passing mention in a long page proves little; repeated mentions prove more."""
    if tf <= 0:
        return 0.0
    density = tf * 1000.0 / max(n_words, 200)
    return min(0.85, 0.35 + 0.2 * math.log1p(tf) + 0.05 * density)


@dataclass(slots=True)
class PageProfile:
    """A page reduced to stems, once per (page, stemming language); cheap to score against."""

    lang: str  # detected page language
    lang_confidence: float
    cover: dict[str, float]  # stem -> coverage in [0, 1]
    strong: frozenset[str]  # stems in title, description or headings
    key_terms: dict[str, float]  # the page's own focus: stem -> weight
    surface: dict[str, str]  # words as written in the title, description, headings and URL
    n_words: int
    title_stems: frozenset[str] = field(default_factory=frozenset)
    n_terms: int = 0  # distinct stems from the page's own text (not from its URL)
    latin: float = 1.0  # share of Latin letters: pages in other scripts are not judged


def profile_page(page: PageInfo, lang: str = "en") -> PageProfile:
    title = " ".join(t for t in (page.title, page.og.get("title", "")) if t)
    description = " ".join(t for t in (page.description, page.og.get("description", "")) if t)
    headings = " \n".join(page.headings)
    page_text = page.text[:MAX_PAGE_CHARS]
    sample = " ".join((title, description, headings, page_text[:3000]))
    guess = guess_language(sample, declared=page.lang)  # a new page: nothing to memoise
    cover: dict[str, float] = {}
    surface: dict[str, str] = {}
    focus: dict[str, float] = {}

    def mark(pairs: list[tuple[str, str]], value: float, focus_weight: float) -> set[str]:
        seen = set()
        for s, word in pairs:
            if s not in surface:
                surface[s] = word
            if value > cover.get(s, 0.0):
                cover[s] = value
            if s not in seen:
                focus[s] = focus.get(s, 0) + focus_weight
                seen.add(s)
        return seen

    title_stems = mark(term_pairs(title, lang), TITLE_COVER, 3.0)
    strong = set(title_stems)
    strong |= mark(term_pairs(description, lang), DESCRIPTION_COVER, 2.0)
    strong |= mark(term_pairs(headings, lang), HEADING_COVER, 1.5)
    tf, n_words = term_frequencies(_strip_urls(page_text), lang)
    n_terms = len(cover.keys() | tf.keys())
    slug = slug_words(page.final_url or page.url)
    if not slug.opaque:
        mark(term_pairs(" ".join(slug.path_words), lang), SLUG_COVER, 0.5)
    # The bulk of the work for a new page is per distinct term of its text, so it runs in
    # dict comprehensions; cover and focus depend on the count only. Title, description,
    # heading and slug terms (a few dozen) keep their higher cover and add their focus.
    factor = 1.0 if n_words < 400 else 400 / n_words * 1.5 + 0.3
    by_count = {
        count: (_text_cover(count, n_words), math.log1p(count) * factor)
        for count in set(tf.values())
    }
    field_cover = cover
    cover = {s: by_count[count][0] for s, count in tf.items()}
    for s, value in field_cover.items():
        if value >= cover.get(s, 0.0):
            cover[s] = value
    text_focus = {s: by_count[count][1] for s, count in tf.items()}
    for s in focus:
        if s in text_focus:
            focus[s] += text_focus.pop(s)
    focus.update(text_focus)
    weights = background_weights(lang)
    key = {s: v * weights.get(s, 1.0) for s, v in focus.items()}
    key = dict(sorted(key.items(), key=itemgetter(1), reverse=True)[:PAGE_KEY_TERMS])
    return PageProfile(
        guess.lang, guess.confidence, cover, frozenset(strong), key, surface, n_words,
        frozenset(title_stems), n_terms, latin_share(sample),
    )


_PROFILES: OrderedDict[tuple, PageProfile] = OrderedDict()
_PROFILES_LOCK = threading.Lock()
PROFILE_CACHE_SIZE = 1024


def _profile_key(page: PageInfo, lang: str) -> tuple:
    return (
        lang, page.url, page.final_url, page.title, page.description, page.headings,
        page.lang, tuple(sorted(page.og.items())), len(page.text), hash(page.text),
    )


def remember_profile(page: PageInfo, lang: str, profile: PageProfile) -> None:
    """Put a profile made elsewhere (profile_page in a helper process) into the memo."""
    key = _profile_key(page, lang)
    with _PROFILES_LOCK:
        _PROFILES[key] = profile
        _PROFILES.move_to_end(key)
        if len(_PROFILES) > PROFILE_CACHE_SIZE:
            _PROFILES.popitem(last=False)


def cached_profile(page: PageInfo, lang: str = "en") -> PageProfile:
    """profile_page, memoised on the page's content: a page linked from many posts (or checked
    again on every keystroke in the editor) is reduced to stems once."""
    key = _profile_key(page, lang)
    with _PROFILES_LOCK:  # the editor may judge links from several worker threads at once
        hit = _PROFILES.get(key)
        if hit is not None:
            _PROFILES.move_to_end(key)
            return hit
    hit = profile_page(page, lang)
    with _PROFILES_LOCK:
        _PROFILES[key] = hit
        if len(_PROFILES) > PROFILE_CACHE_SIZE:
            _PROFILES.popitem(last=False)
    return hit


@dataclass(frozen=True, slots=True)
class Score:
    """The lexical verdict's numbers and the words behind them."""

    score: float  # in [0, 1]
    coverage: float  # share of the writer's weighted terms the page covers
    focus: float  # share of the page's key terms the writer's context mentions
    shared: tuple[str, ...]  # writer's terms the page has (stems, strongest first)
    missing: tuple[str, ...]  # writer's terms the page lacks (stems, strongest first)
    anchor_cover: float  # how well title/description/headings cover the anchor's terms


def score(query: Query, page: PageProfile) -> Score:
    total = query.total
    if total <= 0:
        return Score(0.0, 0.0, 0.0, (), (), 0.0)
    got = 0.0
    shared: list[str] = []
    missing: list[str] = []
    for s, w in query.weights.items():
        c = page.cover.get(s, 0.0)
        got += w * c
        (shared if c > 0 else missing).append(s)
    coverage = got / total
    key_total = sum(page.key_terms.values())
    focus = (
        sum(w for s, w in page.key_terms.items() if s in query.context) / key_total
        if key_total
        else 0.0
    )
    # Blend: coverage leads; focus lifts pages whose own subject the writer names, and a page
    # sharing a single word with the writer is discounted (homonyms, passing mentions).
    value = 0.75 * coverage + 0.25 * focus
    if len(shared) <= 1 and len(query.weights) >= 4:
        value *= 0.6
    anchor = [s for s in query.anchor if s in query.weights or s in query.context]
    anchor_cover = (
        sum(1 for s in anchor if s in page.strong) / len(anchor) if anchor else 1.0
    )
    return Score(
        round(min(1.0, value), 4), round(coverage, 4), round(focus, 4), tuple(shared),
        tuple(missing), anchor_cover,
    )
