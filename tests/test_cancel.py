"""Giving up an analysis for a newer text (core.cancel): wherever it stops, the next analysis of
the same document must equal a fresh one, and the give-up must really stop the work."""

from __future__ import annotations

import pytest
from test_reanalysis import fingerprint, fresh

from linkwriter.core.cancel import Cancelled, cancellable, checkpoint
from linkwriter.core.config import Config
from linkwriter.core.incremental import IncrementalExtractor
from linkwriter.core.reanalysis import Reanalyzer

N = 60
USES = "\n\n".join(
    f"Loaf {i}: bake [the rye loaf {i}][r{i}] with [a starter](https://example.com/s{i}) "
    f"and [click here](http://bit.ly/x{i}) at home." for i in range(N))
DEFS = "\n".join(f"[r{i}]: https://ref.example.com/rye/{i}" for i in range(N))
TEXT = "---\ntitle: Rye at home\n---\n\n# Rye at home\n\n" + USES + "\n\n" + DEFS + "\n"

FENCED = TEXT.replace("# Rye at home\n", "# Rye at home\n\n```\n")
# (text before, text after): each runs through different checkpoints.
EDITS = {
    # A space in the first definition's URL ends all the definitions after it: every
    # paragraph that used them is parsed again and every link in it judged again.
    "space in a definition": (TEXT, TEXT.replace("rye/0\n", "rye /0\n")),
    # One letter in a paragraph: only that paragraph, but every link is looked at.
    "letter in prose": (TEXT, TEXT.replace("Loaf 7:", "Loaf 7x:")),
    # Deleting the fence that turned the rest of the post into code: parsed to the end.
    "fence deleted": (FENCED, TEXT),
}


def counting(stop_at: int | None) -> tuple[list[int], object]:
    calls = [0]

    def check() -> bool:
        calls[0] += 1
        return stop_at is not None and calls[0] >= stop_at

    return calls, check


def checkpoints_of(before: str, edited: str) -> int:
    extractor, reanalyzer = IncrementalExtractor(), Reanalyzer()
    reanalyzer.analyze(extractor.update(before), Config(), {})
    calls, check = counting(None)
    with cancellable(check):
        reanalyzer.analyze(extractor.update(edited), Config(), {})
    return calls[0]


def test_checkpoint_does_nothing_outside_a_cancellable_block():
    checkpoint()
    with cancellable(lambda: False):
        checkpoint()
    with cancellable(lambda: True):
        with pytest.raises(Cancelled):
            checkpoint()
        with cancellable(None):
            checkpoint()  # an inner block without a check
        with pytest.raises(Cancelled):
            checkpoint()  # the outer check is back
    checkpoint()


@pytest.mark.parametrize("name", list(EDITS))
@pytest.mark.parametrize("then", ["same text", "undo", "another edit"])
def test_given_up_anywhere_the_next_analysis_equals_a_fresh_one(name, then):
    before, edited = EDITS[name]
    total = checkpoints_of(before, edited)
    assert total >= 3, "the edit must pass several checkpoints for this test to mean much"
    follow = {"same text": edited, "undo": before,
              "another edit": edited.replace("Loaf 30:", "Loaf thirty:")}[then]
    expected = fingerprint(fresh(follow, Config(), {}))
    # First, middle and last checkpoints, and a few between.
    for stop_at in sorted({1, 2, total // 3, total // 2, total - 1, total}):
        extractor, reanalyzer = IncrementalExtractor(), Reanalyzer()
        reanalyzer.analyze(extractor.update(before), Config(), {})
        calls, check = counting(stop_at)
        with cancellable(check), pytest.raises(Cancelled):
            reanalyzer.analyze(extractor.update(edited), Config(), {})
        assert calls[0] == stop_at  # it stopped at the first "yes"
        got = reanalyzer.analyze(extractor.update(follow), Config(), {})
        assert fingerprint(got) == expected, (name, then, stop_at)


def counting_inline_parses(monkeypatch) -> list[int]:
    """A counter of inline blocks parsed (not found in the inline cache) from now on."""
    from linkwriter.core import extract

    parsed = [0]
    real = extract.inline_parse

    def counting_parse(tokens, *args, **kwargs):
        parsed[0] += sum(t.type == "inline" and "lw_cache" not in t.meta for t in tokens)
        return real(tokens, *args, **kwargs)

    monkeypatch.setattr(extract, "inline_parse", counting_parse)
    return parsed


def test_a_given_up_reparse_keeps_what_it_parsed(monkeypatch):
    """Paragraphs parsed again before the give-up stay in the inline cache: trying the same
    text again parses only the rest."""
    parsed = counting_inline_parses(monkeypatch)
    edited = EDITS["space in a definition"][1]

    def parses_of_edit(stop_at: int | None) -> tuple[int, int]:
        extractor = IncrementalExtractor()
        extractor.update(TEXT)
        calls, check = counting(stop_at)
        parsed[0] = 0
        if stop_at is None:
            with cancellable(check):
                extractor.update(edited)
            return parsed[0], calls[0]
        with cancellable(check), pytest.raises(Cancelled):
            extractor.update(edited)
        parsed[0] = 0
        extractor.update(edited)
        return parsed[0], calls[0]

    whole, total = parses_of_edit(None)
    assert whole >= N - 1 and total >= 4  # every paragraph that used a definition
    retry, _ = parses_of_edit(total)  # given up at the last checkpoint of the re-parse
    assert retry <= whole - 8 * (total - 2)  # 8 paragraphs between checkpoints


def test_the_pipeline_returns_nothing_for_a_given_up_analysis():
    from types import SimpleNamespace

    from linkwriter.gui import pipeline, workercalls

    flag = SimpleNamespace(value=0)
    workercalls.set_cancel_flag(flag)
    try:
        pipeline.build_result(1, TEXT, Config(), None, "cancel-doc", 11)
        flag.value = 12
        assert pipeline.build_result(2, EDITS["letter in prose"][1], Config(), None,
                                     "cancel-doc", 12) is None
        # Another ticket is not given up, and the document's state is sound.
        result = pipeline.build_result(3, EDITS["letter in prose"][1], Config(), None,
                                       "cancel-doc", 13)
        assert result is not None
        assert fingerprint(result.findings) == fingerprint(
            fresh(EDITS["letter in prose"][1], Config(), {}))
    finally:
        workercalls.set_cancel_flag(None)
