"""The fast paths of relevance text processing give exactly what the plain definitions give.

words(), latin_share(), term_counts() and content_term_pairs() were rewritten to do their
per-character and per-token work in C (see the comments there); verdicts must not move by a
hair, so each is compared with a straightforward reference on arbitrary text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from linkwriter.core.relevance.text import (
    _PUNCT,
    content_term_pairs,
    content_words,
    latin_share,
    term,
    term_counts,
    words,
)

_TABLE = str.maketrans({c: " " for c in _PUNCT})

# Prose-like text: letters of several scripts, digits, punctuation (ASCII and wide), spaces,
# combining marks and lone surrogates (text decoded with surrogateescape carries them).
_ALPHABET = st.sampled_from(
    list("abcXYZ019 \n\t.,;:'\"-_/()[]!?") + list("éÆßøñü’“”«»–—…©™→|·•¿") + list("日本語мир")
    + ["\u0301", "\u00a0", "\u2028", "\udc80", "ǅ", "ﬁ", "İ"]
)
TEXT = st.text(alphabet=_ALPHABET, max_size=120)


def _reference_words(text: str) -> list[str]:
    return text.translate(_TABLE).casefold().split()


def _reference_latin_share(text: str, limit: int = 2000) -> float:
    letters = latin = 0
    for char in text[:limit]:
        if char.isalpha():
            letters += 1
            latin += ord(char) < 0x250
    return latin / letters if letters else 1.0


@given(TEXT)
def test_words_equal_the_translate_and_split_definition(text: str) -> None:
    assert words(text) == _reference_words(text)


@given(TEXT)
def test_latin_share_equals_the_per_character_definition(text: str) -> None:
    assert latin_share(text) == _reference_latin_share(text)
    assert latin_share(text * 40) == _reference_latin_share(text * 40)  # past the limit


@given(TEXT, st.sampled_from(["en", "de", "fr", "xx"]))
def test_term_counts_and_pairs_equal_token_by_token_terms(text: str, lang: str) -> None:
    content = content_words(text, lang)
    expected_pairs = [(term(w, lang), w) for w in content]
    assert content_term_pairs(text, lang) == expected_pairs
    counts, surface, total = term_counts(text, lang)
    expected: dict[str, int] = {}
    first: dict[str, str] = {}
    for s, w in expected_pairs:
        expected[s] = expected.get(s, 0) + 1
        first.setdefault(s, w)
    assert list(counts.items()) == list(expected.items())  # same order of first occurrence
    assert surface == first and total == len(content)


def test_post_key_terms_do_not_depend_on_the_hash_seed() -> None:
    """Ties between key terms are ranked in reading order, not in set order."""
    root = Path(__file__).resolve().parent.parent
    script = (
        "from linkwriter.core.extract import parse_post\n"
        "from linkwriter.core.relevance import post_key_terms\n"
        "text = '# Kites\\n\\n' + ' '.join(f'alpha{i} beta{i} gamma{i}' for i in range(12)) * 2\n"
        "print(list(post_key_terms(parse_post(text), 'en')[0]))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, check=True,
                             capture_output=True, text=True).stdout
        outputs.add(out)
    assert len(outputs) == 1, outputs
