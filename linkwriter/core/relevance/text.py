"""Language-aware text processing: tokens, stop words, stems and a cheap language guess.

Relevance compares the writer's words with a page's words, so both sides must be reduced the
same way: casefolded Unicode word tokens, function words dropped, Snowball stems. Stemming is
memoised because the same few thousand words recur across a post and its pages.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain

import snowballstemmer

from linkwriter.core.resources import resource_path

# Languages with a stop-word list and a Snowball stemmer. Others fall back to English stemming
# only when guessed as English; unknown text is tokenised without stemming.
LANGUAGES: dict[str, str] = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "nl": "dutch",
}

# Tokenising by translating punctuation to spaces and splitting is several times faster than a
# Unicode regex, which matters when every fetched page is reduced to terms. Letters and digits
# of any script survive; apostrophes split ("don't" -> "don", "t"; "l'eau" -> "l", "eau").
_PUNCT = string.punctuation + "’‘“”„‚‹›«»–—‐‑‒…¿¡·•©®™°§¶†‡′″×→←↑↓⇒|"
# str.translate is fast only on pure-ASCII text (about 100 ns a character otherwise), so ASCII
# punctuation is translated on the UTF-8 bytes (multi-byte characters never contain a byte
# below 0x80) and the few non-ASCII marks are replaced one by one where present.
_ASCII_PUNCT = bytes(32 if chr(i) in _PUNCT else i for i in range(128)) + bytes(range(128, 256))
_WIDE_PUNCT = tuple(c for c in _PUNCT if not c.isascii())


@cache
def stop_words(lang: str) -> frozenset[str]:
    """The bundled function-word list for one language (empty set if there is none)."""
    if lang not in LANGUAGES:
        return frozenset()
    path = resource_path("relevance", "stopwords", f"{lang}.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.casefold())
    return frozenset(words)


@cache
def _all_stop_words() -> frozenset[str]:
    out: set[str] = set()
    for lang in LANGUAGES:
        out |= stop_words(lang)
    return frozenset(out)


@cache
def _stop_word_owners() -> dict[str, tuple[str, ...]]:
    """stop word -> the languages whose list holds it (one pass per token when guessing)."""
    owners: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for word in stop_words(lang):
            owners.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in owners.items()}


@cache
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(LANGUAGES.get(lang, "english"))


_STEM_CACHE: dict[tuple[str, str], str] = {}


def stem(word: str, lang: str = "en") -> str:
    """Snowball stem of a casefolded word, memoised (stemming dominates scoring time)."""
    key = (lang, word)
    hit = _STEM_CACHE.get(key)
    if hit is None:
        try:
            hit = _stemmer(lang).stemWord(word) if lang in LANGUAGES else word
        except UnicodeEncodeError:  # a lone surrogate (broken pasted text): keep the word
            hit = word
        if len(_STEM_CACHE) > 200_000:
            _STEM_CACHE.clear()
        _STEM_CACHE[key] = hit
    return hit


def fold_accents(word: str) -> str:
    """'café' -> 'cafe', so loanwords match across languages and spellings."""
    if word.isascii():
        return word  # nothing to decompose
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Casefolded word tokens of any script, split at punctuation; numbers kept.

    camelCase is kept whole: in prose it is mostly a name (JavaScript, GitHub, DataFrame), and
    splitting it would make "JavaScript" match a page about Java."""
    if not text.isascii():
        for char in _WIDE_PUNCT:
            if char in text:
                text = text.replace(char, " ")
    raw = text.encode("utf-8", "surrogatepass").translate(_ASCII_PUNCT)
    return raw.decode("utf-8", "surrogatepass").casefold().split()


def term_counts(text: str, lang: str = "en") -> tuple[dict[str, int], dict[str, str], int]:
    """Term frequencies of a long text: (stem -> count, stem -> first surface word, total).

    Counts raw tokens first (in C) and looks each distinct token up once in the language's
    token table, which makes reducing a page of a few thousand words several times cheaper
    than token-by-token processing.
    """
    tokens = words(text)
    found = list(map(_token_table(lang, tokens).__getitem__, tokens))
    counts, total = _count_terms(found)
    # Each term's first word: the last write of a reversed zip (in C, like the rest).
    surface = dict(zip(reversed(found), reversed(tokens), strict=True))
    surface.pop(None, None)
    return counts, surface, total


def term_frequencies(text: str, lang: str = "en") -> tuple[dict[str, int], int]:
    """term_counts without the surface words: (term -> count, total), for page profiles."""
    tokens = words(text)
    return _count_terms(map(_token_table(lang, tokens).__getitem__, tokens))


def _count_terms(found: Iterable[str | None]) -> tuple[dict[str, int], int]:
    """Counts in order of first occurrence (Counter runs in C); None marks skipped tokens."""
    counts = dict(Counter(found))
    counts.pop(None, None)
    return counts, sum(counts.values())


_TOKEN_TABLES: dict[str, dict[str, str | None]] = {}


def _token_table(lang: str, tokens: Iterable[str]) -> dict[str, str | None]:
    """token -> its term, or None for a token that carries no meaning (stop word, one letter,
    bare number), holding at least `tokens`: one dict lookup per token instead of three tests
    and a stemmer call, and the words never seen before are found by a set operation in C."""
    table = _TOKEN_TABLES.get(lang)
    if table is None:
        table = _TOKEN_TABLES[lang] = {}
    new = set(tokens).difference(table)  # looks each token up in the dict, in C
    if new:
        if len(table) > 200_000:
            table.clear()
            new = set(tokens)
        stops = stop_words(lang) or stop_words("en")
        for token in new:
            if token in stops or len(token) < 2 or token.isdigit():
                table[token] = None
            else:
                table[token] = term(token, lang)
    return table


def content_term_pairs(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """(term, word) for each content word of a text, in reading order."""
    tokens = words(text)
    table = _token_table(lang, tokens)
    terms = map(table.__getitem__, tokens)
    return [(s, w) for w, s in zip(tokens, terms, strict=True) if s is not None]


def content_words(text: str, lang: str = "en") -> list[str]:
    """Tokens that carry meaning: no stop words, no 1-letter tokens, no bare numbers."""
    stops = stop_words(lang) or stop_words("en")
    out: list[str] = []
    for token in words(text):
        if token in stops or len(token) < 2 or token.isdigit():
            continue
        out.append(token)
    return out


_TERM_CACHE: dict[tuple[str, str], str] = {}


def term(word: str, lang: str = "en") -> str:
    """The comparable form of a content word: its Snowball stem, accents folded; memoised."""
    key = (lang, word)
    hit = _TERM_CACHE.get(key)
    if hit is None:
        hit = fold_accents(stem(word, lang))
        if len(_TERM_CACHE) > 200_000:
            _TERM_CACHE.clear()
        _TERM_CACHE[key] = hit
    return hit


def terms(text: str, lang: str = "en") -> list[str]:
    """Stemmed, accent-folded content words: the unit every score is computed on."""
    return [term(w, lang) for w in content_words(text, lang)]


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str  # "en", "de", ... or "" when unknown
    # 0..1: how clearly the winner's stop words beat the others, damped for short text
    confidence: float


@lru_cache(maxsize=512)
def detect_language(text: str, max_words: int = 400, declared: str = "") -> LanguageGuess:
    """guess_language, memoised: every link of a paragraph asks about the same text."""
    return guess_language(text, max_words, declared)


def guess_language(text: str, max_words: int = 400, declared: str = "") -> LanguageGuess:
    """Guess the language from stop-word ratios; cheap and good enough to avoid cross-language
    false alarms. A declared language (html lang) breaks ties and stands in for short text."""
    tokens = words(text[: max_words * 12])[:max_words]
    declared = declared.split("-", 1)[0].split("_", 1)[0].lower()
    owners = _stop_word_owners()
    # Each stop word votes for every language whose list holds it; counted in C.
    votes = Counter(chain.from_iterable(map(owners.get, filter(owners.__contains__, tokens))))
    counts = {lang: votes.get(lang, 0) for lang in LANGUAGES}
    best = max(counts, key=lambda k: (counts[k], k == declared))
    hits = counts[best]
    if hits == 0:
        return LanguageGuess(declared if declared in LANGUAGES else "", 0.3 if declared else 0.0)
    runner_up = max(v for k, v in counts.items() if k != best)
    margin = (hits - runner_up) / hits
    # Short texts (a title, a tweet) give few stop words: damp confidence accordingly.
    support = min(1.0, hits / 8)
    confidence = round(margin * support, 3)
    if declared in LANGUAGES and declared != best and confidence < 0.5:
        return LanguageGuess(declared, 0.3)
    return LanguageGuess(best, confidence)


def latin_share(text: str, limit: int = 2000) -> float:
    """Share of letters in the Latin alphabet (1.0 for text without letters): tells a page in
    Japanese or Russian from an English paragraph where no stop-word list can."""
    text = text[:limit]
    if text.isascii():
        return 1.0  # every ASCII letter is Latin (and no letters at all also gives 1.0)
    # ASCII letters are counted in C on the bytes; only the (few) other characters are looked
    # at one by one.
    raw = text.encode("utf-8", "surrogatepass")
    letters = latin = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    for run in _NON_ASCII.findall(text):
        for char in run:
            if char.isalpha():
                letters += 1
                latin += ord(char) < 0x250
    return latin / letters if letters else 1.0


_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def is_stop_word_anywhere(token: str) -> bool:
    return token in _all_stop_words()


def unique(items: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication (explanations list terms in reading order)."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
