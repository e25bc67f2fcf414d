"""Relevance: does each link's target fit its anchor, its paragraph and the post?

Public API: `relevance_report(post, pages, config)` (per-link scores, shared and missing terms,
the post's key terms) and `relevance_findings(post, pages, config)` (the Findings only), with
page metadata as `PageInfo` (see `page_info_from_metadata` and `page_info_from_html`).
Qt-free and offline: pages are whatever the network checker stored.
"""

from linkwriter.core.relevance.backends import RelevanceBackendError, get_backend
from linkwriter.core.relevance.judge import post_key_terms, relevance_findings, relevance_report
from linkwriter.core.relevance.pageinfo import (
    PageInfo,
    page_info_from_html,
    page_info_from_metadata,
)
from linkwriter.core.relevance.rules import RELEVANCE_RULES, RuleInfo
from linkwriter.core.relevance.summary import LinkRelevance, RelevanceSummary

__all__ = [
    "RELEVANCE_RULES",
    "LinkRelevance",
    "PageInfo",
    "RelevanceBackendError",
    "RelevanceSummary",
    "RuleInfo",
    "get_backend",
    "page_info_from_html",
    "page_info_from_metadata",
    "post_key_terms",
    "relevance_findings",
    "relevance_report",
]
