"""The no-lead-in rule: which links stand alone, and what the finding carries."""

from __future__ import annotations

import pytest
from suggest_support import make_post

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Severity
from linkwriter.core.suggest import SUGGEST_RULES, lead_in_problem, suggestion_findings

G = "https://example.com/guides/sourdough-starter-basics"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"[Click here]({G}).", "whole-sentence"),
        (f"See [here]({G}).", "whole-sentence"),
        (f"Read more: <{G}>", "whole-sentence"),
        (f"We bake daily. [Sourdough starter basics]({G})", "whole-sentence"),
        (f"[Click here]({G}) for more information about feeding.", "no-context-before"),
        (f"[This guide]({G}) is great.", "no-context-before"),
        (f"See [this]({G}) and [that](https://example.org/b).", "shared-bare-sentence"),
        (f"[One]({G}), [two](https://example.org/b).", "shared-bare-sentence"),
    ],
)
def test_lone_links_are_flagged(text, reason):
    post = make_post("# Baking\n\n" + text + "\n")
    assert lead_in_problem(post, 0) == reason


@pytest.mark.parametrize(
    "text",
    [
        f"For a deeper look at feeding schedules, see [the starter guide]({G}).",
        f"A [2023 survey by the Bread Lab]({G}) found that most bakers feed daily.",
        f"[King Arthur's starter guide]({G}) walks through feeding, discarding and storing.",
        f"Most home bakers feed their starter twice a day ([source]({G})).",
        f"![A loaf]({G})",
    ],
)
def test_links_with_context_are_not_flagged(text):
    post = make_post("# Baking\n\n" + text + "\n")
    assert lead_in_problem(post, 0) is None


def test_link_lists_under_a_resources_heading_are_not_flagged():
    post = make_post(f"# Post\n\n## Further reading\n\n- [Starter basics]({G})\n- <{G}>\n")
    assert [lead_in_problem(post, i) for i in range(len(post.links))] == [None, None]
    post = make_post(f"# Post\n\n## Baking\n\n- [Starter basics]({G})\n- [here]({G})\n- <{G}>\n")
    lone = "whole-sentence"
    assert [lead_in_problem(post, i) for i in range(3)] == [None, lone, lone]
    table = "| Guide | Link |\n|---|---|\n"
    post = make_post(f"# Post\n\n{table}| Starter | [Starter basics]({G}) |\n")
    assert lead_in_problem(post, 0) is None


def test_rule_metadata():
    assert [r["id"] for r in SUGGEST_RULES] == ["no-lead-in"]
    rule = SUGGEST_RULES[0]
    assert rule["category"] == "cta" and rule["severity"] == "info" and rule["summary"]


def test_findings_carry_ready_fixes_and_evidence():
    text = f"# Baking\n\nWe feed the starter daily.\n\n[Click here]({G}).\n\nMore text.\n"
    post = make_post(text)
    findings = suggestion_findings(post, Config())
    assert len(findings) == 1
    f = findings[0]
    assert f.rule == "no-lead-in" and f.category is Category.CTA and f.severity is Severity.INFO
    assert f.link_index == 0 and (f.start, f.end) == (post.links[0].start, post.links[0].end)
    assert f.data["reason"] == "whole-sentence" and f.data["intent"] == "further-reading"
    assert 1 <= len(f.fixes) <= 3
    assert "Click here" in f.message and "lead-in" in f.message
    for fix in f.fixes:
        new = fix.apply(text)
        assert new.startswith("# Baking\n\nWe feed the starter daily.\n\n")
        assert new.endswith("\n\nMore text.\n") and f"]({G})" in new


def test_config_can_silence_or_raise_the_rule():
    post = make_post(f"[Click here]({G}).\n")
    assert suggestion_findings(post, Config(ignore=["no-lead-in"])) == []
    raised = suggestion_findings(post, Config(severity={"no-lead-in": "warning"}))
    assert raised[0].severity is Severity.WARNING


def test_a_huge_single_line_is_not_judged_and_edits_stay_on_the_link():
    chunk = "word [a link](https://example.com/x) more words https://example.org/y "
    text = chunk * (40_000 // len(chunk))
    post = make_post(text)
    assert len(post.links) > 1000
    assert suggestion_findings(post, Config()) == []
    from linkwriter.core.suggest import suggest_for_link

    middle = len(post.links) // 2
    link = post.links[middle]
    for fix in suggest_for_link(post, middle, Config(), use_ai=False).suggestions:
        assert (fix.start, fix.end) == (link.start, link.end)


def test_works_as_an_analysis_provider_with_ignore_markers():
    from linkwriter.core.analysis import analyze

    text = (
        f"# Post\n\n[Click here]({G}).\n\n"
        "<!-- linkwriter-ignore: no-lead-in -->\n[Read more](https://example.org/more).\n"
    )
    result = analyze(text, Config(), providers=[suggestion_findings])
    flagged = [f.link_index for f in result.findings if f.rule == "no-lead-in"]
    assert flagged == [0]


def test_even_a_capped_bare_url_gets_three_suggestions():
    from linkwriter.core.suggest import suggest_for_link

    chunk = "word [a link](https://example.com/x) more words https://example.org/guides/rye-bread "
    post = make_post(chunk * 40)
    bare = next(i for i, link in enumerate(post.links) if link.kind.value == "bare")
    fixes = suggest_for_link(post, bare, Config(), use_ai=False).suggestions
    assert len(fixes) >= 3
    link = post.links[bare]
    for fix in fixes:
        assert "https://example.org/guides/rye-bread" in fix.replacement
        assert (fix.start, fix.end) == (link.start, link.end)
