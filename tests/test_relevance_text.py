"""Text processing for relevance: tokens, stop words, stems, language guess, term weights."""

from __future__ import annotations

import pytest

from linkwriter.core.relevance.text import (
    content_words,
    detect_language,
    stop_words,
    term_counts,
    terms,
    words,
)
from linkwriter.core.relevance.weights import FLOOR, term_weight
from linkwriter.core.resources import resource_path


def test_words_split_at_unicode_punctuation_and_keep_names_whole() -> None:
    assert words("Café’s naïve JavaScript — HTTPServer, fs.createReadStream(path)") == [
        "café", "s", "naïve", "javascript", "httpserver", "fs", "createreadstream", "path",
    ]


def test_words_keep_non_latin_scripts() -> None:
    assert words("Привет мир, 東京 2026") == ["привет", "мир", "東京", "2026"]


def test_content_words_drop_stop_words_numbers_and_single_letters() -> None:
    assert content_words("Don't feed the starter 3 times a day, it's fine") == [
        "feed", "starter", "times", "day", "fine",
    ]


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "nl"])
def test_every_language_has_a_stop_word_list(lang: str) -> None:
    assert len(stop_words(lang)) > 80
    header = resource_path("relevance", "stopwords", f"{lang}.txt").read_text("utf-8")
    assert "License: MIT" in header and "Source:" in header


def test_terms_are_stems_so_inflections_match() -> None:
    assert terms("hydration hydrated") == ["hydrat", "hydrat"]
    assert terms("Streams streaming") == ["stream", "stream"]
    assert terms("Fahrradketten", "de") == terms("Fahrradkette", "de")


def test_term_counts_match_token_by_token_terms() -> None:
    text = "The starter rises; starters rise. Feed the starter daily!"
    counts, surface, total = term_counts(text)
    expected = terms(text)
    assert total == len(expected)
    assert counts == {t: expected.count(t) for t in set(expected)}
    assert surface["starter"] == "starter"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The starter needs to be fed every day and kept in a warm place.", "en"),
        ("Der Sauerteig braucht Zeit, und die Temperatur ist wichtig für den Geschmack.", "de"),
        ("Le levain a besoin de temps et la température est importante pour le goût.", "fr"),
        ("La masa madre necesita tiempo y la temperatura es importante para el sabor.", "es"),
        ("Het zuurdesem heeft tijd nodig en de temperatuur is belangrijk voor de smaak.", "nl"),
    ],
)
def test_detect_language_by_stop_word_ratio(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert guess.lang == lang
    assert guess.confidence >= 0.25


def test_detect_language_is_unsure_about_text_without_function_words() -> None:
    assert detect_language("Best VPN deals 2026").confidence < 0.25
    assert detect_language("Best VPN deals 2026", declared="en-GB").lang == "en"


def test_common_words_weigh_little_and_rare_words_fully() -> None:
    assert term_weight("use") < 0.4  # in the hand-written common list
    assert term_weight("node") < 0.6  # frequent in the background corpus
    assert term_weight("sourdough") == 1.0  # unseen: full weight
    assert term_weight("use", "de") == 1.0  # no background list for German
    assert term_weight("use") >= FLOOR


def test_background_list_names_its_source_and_license() -> None:
    header = resource_path("relevance", "background-en.tsv").read_text("utf-8")[:800]
    assert "nodeblog" in header and "MIT" in header and "common-en.txt" in header
    common = resource_path("relevance", "common-en.txt").read_text("utf-8")[:600]
    assert "Source:" in common and "License: MIT" in common


GERMAN = "Der Sauerteig braucht Zeit, und die Temperatur ist wichtig für den Geschmack.\n\n"
ENGLISH = "The starter needs to be fed every day and kept in a warm place.\n\n"
CODE_LINE = "let total = items.map(x => x * 2).filter(Boolean)\n"


@pytest.mark.parametrize(
    ("body", "lang"),
    [
        (GERMAN * 400 + ENGLISH * 400, "de"),  # 60 KB: the opening decides, as before
        (ENGLISH * 300 + GERMAN * 600, "en"),
        # A code fence that runs past the sample, then German: not guessed from the code.
        ("```js\n" + (CODE_LINE * 60 + "\n") * 8 + "```\n\n" + GERMAN * 200, "de"),
        # The sample holds little prose (mostly closed code blocks): the whole body decides.
        (("```\n" + CODE_LINE * 20 + "```\n\n") * 19 + GERMAN * 200, "de"),
    ],
)
def test_long_post_language_comes_from_its_opening_prose(body: str, lang: str) -> None:
    from linkwriter.core.extract import parse_post
    from linkwriter.core.relevance.judge import (
        LANGUAGE_SAMPLE,
        _prose,
        post_language,
        post_language_of,
    )

    post = parse_post("# Title\n\n" + body)
    assert len(body) > LANGUAGE_SAMPLE
    assert post_language_of(post) == lang == post_language(_prose(post))
