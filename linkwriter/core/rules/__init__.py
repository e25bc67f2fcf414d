"""Offline link rules: a registry of stable rule ids and one entry point, :func:`check_post`.

check_post reports everything the rules see; the analysis pipeline then applies the
writer's decisions (ignored rules, severity overrides, ignore markers). The trusted-domain
list is the exception: it is part of what a trust rule means, so it is applied here.
"""

from __future__ import annotations

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Finding
from linkwriter.core.post import Post
from linkwriter.core.rules import affiliate, anchors, layout, trust  # noqa: F401  (registers)
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.registry import LINK, POST, RULES, RuleInfo

__all__ = ["OFFLINE_RULE_IDS", "RULES", "RuleInfo", "check_post"]

# A stable, readable order for RULES (and so for listings and docs): trust, relevance,
# style, cta; within a category, the order the rules are defined in their module.
_CATEGORY_ORDER = {Category.TRUST: 0, Category.RELEVANCE: 1, Category.STYLE: 2, Category.CTA: 3}
_ordered = sorted(RULES.values(), key=lambda info: _CATEGORY_ORDER[info.category])
RULES.clear()
RULES.update((info.id, info) for info in _ordered)
# The ids check_post can report (a frozen copy: RULES is a plain dict others can read).
OFFLINE_RULE_IDS: frozenset[str] = frozenset(RULES)

# blocked-domain is the writer's own explicit list, so trusting a domain does not unblock it.
_NOT_SILENCED_BY_TRUST = frozenset({"blocked-domain"})


def link_checks() -> tuple[list, list]:
    """(every link check, the checks that still apply to a link on a trusted domain)."""
    link_rules = [r for r in RULES.values() if r.scope == LINK]
    all_checks = [r.check for r in link_rules]
    trusted_checks = [
        r.check
        for r in link_rules
        if r.category is not Category.TRUST or r.id in _NOT_SILENCED_BY_TRUST
    ]
    return all_checks, trusted_checks


def check_link(ctx: RuleContext, index: int, checks: tuple[list, list]) -> list[Finding]:
    """The link-scoped rules' findings on one link (what a per-link cache may keep)."""
    target = ctx.target(index)
    link = ctx.post.links[index]
    found_all = []
    for check in checks[1] if ctx.is_trusted(target) else checks[0]:
        found = check(ctx, index, link, target)
        if found is not None:
            found_all.append(found)
    return found_all


def check_post_wide(ctx: RuleContext) -> list[Finding]:
    """The post-scoped rules (duplicates, density, partners, adjacency)."""
    findings: list[Finding] = []
    for info in RULES.values():
        if info.scope == POST:
            findings.extend(info.check(ctx))
    return findings


def check_post(post: Post, config: Config) -> list[Finding]:
    ctx = RuleContext(post, config)
    checks = link_checks()
    findings: list[Finding] = []
    for index in range(len(post.links)):
        findings.extend(check_link(ctx, index, checks))
    findings.extend(check_post_wide(ctx))
    return findings
