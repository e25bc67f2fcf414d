"""Shared helpers for the rule tests: parse real Markdown, run the rules, apply fixes."""

from __future__ import annotations

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.model import Finding, apply_fixes
from linkwriter.core.post import Post
from linkwriter.core.rules import check_post


def parse(text: str) -> Post:
    return parse_post(text)


def check(text: str, config: Config | None = None) -> list[Finding]:
    return check_post(parse_post(text), config or Config())


def rules_of(text: str, config: Config | None = None) -> list[str]:
    return [f.rule for f in check(text, config)]


def only(text: str, rule: str, config: Config | None = None) -> list[Finding]:
    return [f for f in check(text, config) if f.rule == rule]


def apply_all(text: str, findings: list[Finding]) -> str:
    return apply_fixes(text, [fix for f in findings for fix in f.fixes])
