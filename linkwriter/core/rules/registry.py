"""The rule registry: every offline rule with its stable id, category and default severity.

Rules register themselves with :func:`rule` when their module is imported, so the registry
and the documentation (docs/rules.md) stay one list. Ids are public contracts: never rename.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from linkwriter.core.model import Category, Finding, Severity

LINK = "link"  # check(ctx, index, link, target) -> Finding | None (one verdict per rule and link)
POST = "post"  # check(ctx) -> iterable of findings (about the post, or comparing links)

CheckFn = Callable[..., "Finding | None | Iterable[Finding]"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    category: Category
    severity: Severity  # default; the pipeline applies [rules.severity] overrides
    summary: str
    check: CheckFn
    scope: str = LINK
    thresholds: tuple[str, ...] = ()  # config threshold names this rule reads

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "scope": self.scope,
            "thresholds": list(self.thresholds),
        }


RULES: dict[str, RuleInfo] = {}


def rule(
    rule_id: str,
    category: Category,
    severity: Severity,
    summary: str,
    *,
    scope: str = LINK,
    thresholds: tuple[str, ...] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id."""

    def register(fn: CheckFn) -> CheckFn:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id!r}")
        RULES[rule_id] = RuleInfo(rule_id, category, severity, summary, fn, scope, thresholds)
        return fn

    return register

