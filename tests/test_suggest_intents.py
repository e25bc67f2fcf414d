"""Intent classification on the labelled set, and the cues that explain each guess."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from suggest_support import make_post

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.suggest import Intent, classify_link, suggest_for_link
from linkwriter.core.suggest.templates import DISCLOSURE_RE, SPONSORED_RE


def _load_benchmark():
    """Load benchmarks/intents.py by path: putting benchmarks/ on sys.path would let its
    typing.py benchmark shadow the standard library for every later test."""
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "intents.py"
    spec = importlib.util.spec_from_file_location("linkwriter_bench_intents", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_bench = _load_benchmark()
benchmark_config, load_cases, predict = _bench.benchmark_config, _bench.load_cases, _bench.predict

CASES = load_cases()
CONFIG = benchmark_config()


def test_labelled_set_is_big_and_varied():
    assert len(CASES) >= 100
    assert len({c["intent"] for c in CASES}) >= 8
    assert {c["split"] for c in CASES} == {"dev", "heldout", "real-dev", "real-heldout"}
    assert sum(c["split"] == "heldout" for c in CASES) >= 30
    assert sum(c["split"] == "real-heldout" for c in CASES) >= 30


@pytest.mark.parametrize("split", ["dev", "heldout", "real-dev", "real-heldout"])
def test_accuracy_meets_goal(split):
    cases = [c for c in CASES if c["split"] == split]
    right = sum(predict(c, CONFIG)[0] == c["intent"] for c in cases)
    assert right / len(cases) >= 0.85, f"{split}: {right}/{len(cases)}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['split']}-{c['line']}")
def test_every_labelled_link_gets_3_to_5_clean_suggestions(case):
    post = make_post(case["text"] + "\n")
    result = suggest_for_link(post, 0, CONFIG, use_ai=False)
    assert 3 <= len(result.suggestions) <= 5, [f.title for f in result.suggestions]
    link = post.links[0]
    dest = post.text[link.dest_start : link.dest_end]
    for fix in result.suggestions:
        assert dest in fix.replacement
        assert "{" not in fix.title and "\ue000" not in fix.replacement
        if result.intent is Intent.PRODUCT:
            assert DISCLOSURE_RE.search(fix.title), fix.title
        if result.intent is Intent.SPONSORED:
            assert SPONSORED_RE.search(fix.title), fix.title


def _classify(text: str, config: Config | None = None, pages=None):
    post = make_post(text)
    return classify_link(post, 0, config or Config(), pages)


def test_cues_explain_the_guess():
    result = _classify("A [2023 survey](https://www.pewresearch.org/x) found that 40% agree.\n")
    assert result.intent is Intent.CITATION
    sources = {c.source for c in result.cues if c.intent is Intent.CITATION}
    assert {"domain", "anchor", "sentence"} <= sources
    assert any("pewresearch.org" in str(c) for c in result.cues)


def test_partner_comes_from_config():
    text = "Our newsletter runs on [Acme](https://mail.acme.test/plans).\n"
    assert _classify(text).intent is not Intent.PARTNER
    config = Config(partners=["acme.test"])
    result = _classify(text, config)
    assert result.intent is Intent.PARTNER
    assert any(c.source == "config" for c in result.cues)


def test_affiliate_parameters_make_a_product_and_flag_it():
    result = _classify("I like [this pan](https://shop.example.com/pan?aff_id=9).\n")
    assert result.intent is Intent.PRODUCT and result.affiliate
    plain = _classify("I like [this pan](https://shop.example.com/pan).\n")
    assert plain.intent is Intent.PRODUCT and not plain.affiliate


def test_own_domain_counts_as_internal():
    text = "My [review of the camera](https://myblog.example/reviews/x100v/) has photos.\n"
    assert _classify(text).intent is not Intent.INTERNAL
    config = Config(extra={"suggestions": {"site": "https://myblog.example"}})
    assert _classify(text, config).intent is Intent.INTERNAL


def test_page_metadata_is_used_when_present():
    url = "https://thing.example.com/x1"
    text = f"Have a look at [the Frobnicator]({url}).\n"
    assert _classify(text, pages={url: {"og_type": "product", "title": "Buy the Frobnicator"}}
                     ).intent is Intent.PRODUCT
    assert _classify(text, pages={url: {"title": "Frobnicator documentation",
                                        "description": "API reference and manual"}}
                     ).intent is Intent.DOCUMENTATION


def test_sponsored_words_beat_product_signals():
    text = "This post is sponsored by [Acme Shop](https://www.amazon.com/dp/B01?tag=x-20).\n"
    assert _classify(text).intent is Intent.SPONSORED


def test_only_links_in_the_sentence_are_taken_out_of_it(monkeypatch):
    """Other links' anchors in a link's sentence describe their own targets and are taken
    out before classifying; a link in an earlier sentence is not in it, even when its anchor
    text happens to recur there (links_near also hands out the two links before a range)."""
    from linkwriter.core.suggest import engine

    seen: list[str] = []
    real = engine.classify

    def spy(link, *, sentence, **kwargs):
        seen.append(sentence)
        return real(link, sentence=sentence, **kwargs)

    monkeypatch.setattr(engine, "classify", spy)
    post = parse_post("Read [rye tips](https://a.example.com/r). Try rye tips to bake "
                      "[this loaf](https://b.example.com/l) with [oven notes]"
                      "(https://c.example.com/o) today, oven notes in hand.\n")
    classify_link(post, 1, Config())
    assert seen[-1] == "Try rye tips to bake this loaf with   today, oven notes in hand."
