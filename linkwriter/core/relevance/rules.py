"""Rule metadata of the relevance checks, for the rule registry, docs and the GUI."""

from __future__ import annotations

from dataclasses import dataclass

from linkwriter.core.model import Category, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    category: Category
    severity: Severity
    summary: str


OFF_TOPIC_LINK = "off-topic-link"
ANCHOR_MISMATCH = "anchor-mismatch"
SLUG_MISMATCH = "slug-mismatch"
OFF_TOPIC_FOR_POST = "off-topic-for-post"

RELEVANCE_RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        OFF_TOPIC_LINK,
        Category.RELEVANCE,
        Severity.WARNING,
        "The target page has little to do with the anchor text and the paragraph around it.",
    ),
    RuleInfo(
        ANCHOR_MISMATCH,
        Category.RELEVANCE,
        Severity.INFO,
        "The anchor promises something the page's title and headings do not mention, although "
        "the paragraph fits the page.",
    ),
    RuleInfo(
        SLUG_MISMATCH,
        Category.RELEVANCE,
        Severity.INFO,
        "The URL's descriptive words share nothing with the anchor text or paragraph "
        "(judged offline, from the URL alone).",
    ),
    RuleInfo(
        OFF_TOPIC_FOR_POST,
        Category.RELEVANCE,
        Severity.INFO,
        "The page fits its sentence but not the post as a whole.",
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RELEVANCE_RULES}
