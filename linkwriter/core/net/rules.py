"""Metadata of the rules the network checker reports, for the rule registry and docs.

The lead joins NETWORK_RULES into linkwriter.core.rules.RULES; ids are contracts (issue 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkwriter.core.model import Category, Severity


@dataclass(frozen=True, slots=True)
class NetworkRule:
    id: str
    category: Category
    severity: Severity
    summary: str
    fixes: str = ""
    scope: str = "network"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "scope": self.scope,
            "fixes": self.fixes,
        }


NETWORK_RULES: tuple[NetworkRule, ...] = (
    NetworkRule(
        "broken-link",
        Category.TRUST,
        Severity.ERROR,
        "The link does not lead to a page: 404/410, other 4xx, 5xx that persist after retries, "
        "an unknown host name or a refused connection. Readers hit a dead end and search engines "
        "read dead links as neglect.",
        "Replace with an archived copy from the Wayback Machine when one exists.",
    ),
    NetworkRule(
        "tls-error",
        Category.TRUST,
        Severity.ERROR,
        "The site's certificate is expired, self-signed, for another host name, or the site only "
        "speaks an obsolete protocol; browsers show readers a security warning instead of the "
        "page.",
    ),
    NetworkRule(
        "timeout",
        Category.TRUST,
        Severity.WARNING,
        "The site did not answer within the deadline, even after retries; readers may give up too.",
    ),
    NetworkRule(
        "redirect-loop",
        Category.TRUST,
        Severity.ERROR,
        "The link redirects in a circle (or more than the redirect limit); browsers give up.",
    ),
    NetworkRule(
        "redirected",
        Category.TRUST,
        Severity.INFO,
        "The link permanently redirects elsewhere on the same site; linking the final address "
        "saves readers a round trip and passes ranking signals directly.",
        "Use the final URL.",
    ),
    NetworkRule(
        "cross-domain-redirect",
        Category.TRUST,
        Severity.WARNING,
        "The link ends up on a different site than the one written; check that readers land "
        "where you meant (domains get sold, hijacked or parked).",
        "Use the final URL.",
    ),
    NetworkRule(
        "soft-404",
        Category.TRUST,
        Severity.ERROR,
        "The server answers 200 but shows its 'not found' page, or the deep link now lands on "
        "the home page; readers do not get the page you linked.",
        "Replace with an archived copy from the Wayback Machine when one exists.",
    ),
    NetworkRule(
        "missing-fragment",
        Category.TRUST,
        Severity.WARNING,
        "The #fragment names no id or anchor on the target page, so readers land at the top "
        "instead of the section you meant.",
        "Remove the fragment.",
    ),
    NetworkRule(
        "blocked-by-site",
        Category.TRUST,
        Severity.INFO,
        "The site refuses automated clients (401, 403, 999, or 429 after retries); it could "
        "not be verified. Open it in your browser to confirm; this does not mean the link is "
        "broken.",
    ),
    NetworkRule(
        "unsafe-site",
        Category.TRUST,
        Severity.ERROR,
        "Google Safe Browsing lists this address as malware, phishing or unwanted software; "
        "sending readers there harms them and your reputation.",
    ),
    NetworkRule(
        "content-changed",
        Category.TRUST,
        Severity.INFO,
        "The page behind the link no longer says what it said when you linked it (title or main "
        "text changed); check that it still supports your sentence.",
    ),
    NetworkRule(
        "insecure-http",
        Category.TRUST,
        Severity.WARNING,
        "The link uses plain http; the https version was verified to serve the same page.",
        "Use https.",
    ),
)

NETWORK_RULE_IDS: frozenset[str] = frozenset(r.id for r in NETWORK_RULES)


def network_rule(rule_id: str) -> NetworkRule:
    for rule in NETWORK_RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
