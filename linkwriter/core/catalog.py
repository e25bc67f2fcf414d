"""Every rule id LinkWriter can report, offline or not, with its category and default severity.

The offline rules, the network checker, relevance and suggestions each keep their own table;
this joins them so SARIF, the docs test and the app's settings list one catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from linkwriter.core.model import Category, Severity


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    category: Category
    severity: Severity
    summary: str
    source: str  # "offline", "network", "relevance" or "suggestions"


@cache
def all_rules() -> dict[str, RuleMeta]:
    from linkwriter.core.net.rules import NETWORK_RULES
    from linkwriter.core.rules import RULES
    from linkwriter.core.suggest import SUGGEST_RULES

    out: dict[str, RuleMeta] = {}
    for info in RULES.values():
        out[info.id] = RuleMeta(info.id, info.category, info.severity, info.summary, "offline")
    for net in NETWORK_RULES:
        out.setdefault(
            net.id, RuleMeta(net.id, net.category, net.severity, net.summary, "network")
        )
    for item in SUGGEST_RULES:
        out[item["id"]] = RuleMeta(
            item["id"],
            Category(item["category"]),
            Severity(item["severity"]),
            item["summary"],
            "suggestions",
        )
    return out
