"""The rule registry as a contract: exact ids, categories, docs, the clean post, offline use."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from rules_support import apply_all, check, parse

from linkwriter.core.config import DEFAULT_THRESHOLDS, Config
from linkwriter.core.model import Category, Severity
from linkwriter.core.rules import OFFLINE_RULE_IDS, RULES, RuleInfo, check_post

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {
    "unsafe-scheme": Category.TRUST,
    "malformed-url": Category.TRUST,
    "insecure-http": Category.TRUST,
    "local-address": Category.TRUST,
    "ip-host": Category.TRUST,
    "userinfo-in-url": Category.TRUST,
    "lookalike-domain": Category.TRUST,
    "url-shortener": Category.TRUST,
    "risky-tld": Category.TRUST,
    "blocked-domain": Category.TRUST,
    "tracking-params": Category.TRUST,
    "generic-anchor": Category.RELEVANCE,
    "url-as-anchor": Category.STYLE,
    "empty-anchor": Category.STYLE,
    "missing-alt": Category.STYLE,
    "long-anchor": Category.STYLE,
    "duplicate-link": Category.RELEVANCE,
    "adjacent-links": Category.STYLE,
    "link-density": Category.RELEVANCE,
    "partner-overlinking": Category.RELEVANCE,
    "affiliate-undisclosed": Category.CTA,
}

# Everything wrong at once, so one run exercises every link rule.
MESSY = """\
---
title: Messy
---

# Messy post

Go [click here](http://example.com/wild?utm_source=news&id=7) and
[](https://example.com/empty) [https://example.com/raw](https://example.com/raw).
Bad [script](javascript:alert(1)), [broken](https://exa..mple.com/), [home](http://192.168.1.2/),
[ip](https://93.184.216.34/), [login](https://bank.com@evil.example/), [pay](https://paypa1.com/),
[short](https://bit.ly/x), [prize](https://prize.tk/), [spam](https://spam.example/),
[the proofer](https://amzn.to/3abc) and
[the same page again](http://example.com/wild?id=7).
Read [a very long anchor text that keeps going and going well past any sensible limit of words](https://example.org/long).

![](https://example.org/crumb.png)
"""


def test_registry_has_exactly_the_issue_ids() -> None:
    assert set(EXPECTED) == OFFLINE_RULE_IDS == set(RULES)
    for rule_id, category in EXPECTED.items():
        assert RULES[rule_id].category is category, rule_id


def test_rule_info_fields() -> None:
    for rule_id in OFFLINE_RULE_IDS:
        info = RULES[rule_id]
        assert isinstance(info, RuleInfo)
        assert info.id == rule_id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id)
        assert isinstance(info.severity, Severity)
        assert info.summary and "\n" not in info.summary and len(info.summary) < 90
        assert callable(info.check)
        assert info.scope in ("link", "post")
        for name in info.thresholds:
            assert name in DEFAULT_THRESHOLDS, (rule_id, name)
        assert info.to_dict()["id"] == rule_id


def test_docs_have_one_entry_per_rule_with_all_parts() -> None:
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule_id in OFFLINE_RULE_IDS:
        info = RULES[rule_id]
        m = re.search(rf"^## `{re.escape(rule_id)}`\n(.*?)(?=^## |\Z)", docs, re.M | re.S)
        assert m, f"docs/rules.md has no section for {rule_id}"
        body = m.group(1)
        assert f"Category: {info.category.value}" in body, rule_id
        assert f"Default severity: {info.severity.value}" in body, rule_id
        for part in ("### What it checks", "### Why it matters", "### Example", "### Fix"):
            assert part in body, (rule_id, part)
        for name in info.thresholds:
            assert f"`{name}`" in body, (rule_id, name)
    assert "<!-- linkwriter-ignore: " in docs
    assert "[domains]" in docs and "[rules.severity]" in docs


def test_clean_post_has_no_findings() -> None:
    text = (ROOT / "tests" / "data" / "clean-post.md").read_text(encoding="utf-8")
    post = parse(text)
    assert len(post.links) >= 12
    assert check_post(post, Config()) == []


def test_messy_post_fires_every_link_rule_with_complete_findings() -> None:
    config = Config(blocked=["spam.example"])
    post = parse(MESSY)
    findings = check_post(post, config)
    fired = {f.rule for f in findings}
    expected = set(EXPECTED) - {"partner-overlinking", "adjacent-links"}
    assert expected <= fired, expected - fired
    for f in findings:
        info = RULES[f.rule]
        assert f.category is info.category and f.severity is info.severity
        assert len(f.message) > 80 and f.message.endswith((".", ".)")), f.rule
        assert 0 <= f.start <= f.end <= len(MESSY)
        if info.scope == "link" and f.link_index is not None:
            link = post.links[f.link_index]
            assert (f.start, f.end) == (link.start, link.end), f.rule
        for fix in f.fixes:
            assert fix.title and 0 <= fix.start <= fix.end <= len(MESSY)


def test_all_fixes_apply_together_and_leave_other_text_alone() -> None:
    findings = check(MESSY, Config(blocked=["spam.example"]))
    fixed = apply_all(MESSY, findings)
    assert "utm_source" not in fixed
    assert "http://example.com/wild?id=7)" in fixed
    assert "https://evil.example/" in fixed
    assert fixed.startswith("---\ntitle: Messy\n---\n\n# Messy post\n")
    after = {f.rule for f in check(fixed, Config(blocked=["spam.example"])) if f.fixes}
    assert after <= {"duplicate-link"}  # fixes do not create new fixable problems
    assert "tracking-params" not in after and "userinfo-in-url" not in after


def test_findings_are_deterministic() -> None:
    assert check(MESSY) == check(MESSY)


def test_check_post_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used by an offline rule")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert check(MESSY)


def test_check_post_does_not_apply_ignores_or_overrides() -> None:
    md = "<!-- linkwriter-ignore: generic-anchor -->\nGo [click here](https://example.com/a).\n"
    config = Config(ignore=["generic-anchor"], severity={"generic-anchor": "error"})
    found = [f for f in check(md, config) if f.rule == "generic-anchor"]
    assert len(found) == 1 and found[0].severity is Severity.WARNING  # the pipeline decides


def test_empty_post() -> None:
    assert check("") == []
    assert check("# Just a title\n\nNo links at all.\n") == []


def test_pipeline_applies_markers_ignores_and_overrides_to_rule_findings() -> None:
    from linkwriter.core.analysis import analyze

    md = (
        "<!-- linkwriter-ignore: url-shortener -->\n"
        "Sign up at [the bake-off page](https://bit.ly/bake-off).\n\n"
        "And [the schedule](https://bit.ly/schedule) too, over [plain http](http://example.com/x).\n"
    )
    config = Config(severity={"insecure-http": "error"}, ignore=["url-as-anchor"])
    findings = analyze(md, config).findings
    shorteners = [f.link_index for f in findings if f.rule == "url-shortener"]
    assert shorteners == [1]  # the marker silenced the first link only
    http = [f for f in findings if f.rule == "insecure-http"]
    assert len(http) == 1 and http[0].severity is Severity.ERROR


def test_documented_toml_config_drives_the_rules(tmp_path: Path) -> None:
    from linkwriter.core.config import load_config

    config_file = tmp_path / ".linkwriter.toml"
    config_file.write_text(
        '[domains]\ntrusted = ["example.edu"]\nblocked = ["spam.example"]\n'
        'partners = ["friend.example"]\n\n[rules.thresholds]\npartner-max-links = 0\n'
        "long-anchor-words = 3\n",
        encoding="utf-8",
    )
    post = tmp_path / "post.md"
    post.write_text("x", encoding="utf-8")
    config = load_config(post, use_user_config=False)
    md = (
        "See [the old lab page](http://lab.example.edu/), [a spam page](https://spam.example/) "
        "and [my friend's page](https://friend.example/).\n"
    )
    found = {(f.rule, f.link_index) for f in check(md, config)}
    assert ("insecure-http", 0) not in found  # trusted
    assert ("long-anchor", 0) in found  # threshold 3 words
    assert ("blocked-domain", 1) in found
    assert ("partner-overlinking", None) in found  # limit 0
