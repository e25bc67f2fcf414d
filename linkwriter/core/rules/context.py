"""Per-post state the rules share: parsed targets, domain lists, and a Finding factory."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Fix, Link
from linkwriter.core.post import Post
from linkwriter.core.rules.domains import DomainSet, registrable_domain
from linkwriter.core.rules.registry import RULES
from linkwriter.core.rules.urls import Target, target_of


class RuleContext:
    def __init__(self, post: Post, config: Config) -> None:
        self.post = post
        self.config = config
        self.text = post.text
        self._targets: list[Target | None] = [None] * len(post.links)
        self._thresholds: dict[str, float] = {}

    # -- links -------------------------------------------------------------------------
    @property
    def links(self) -> Sequence[Link]:
        return self.post.links

    def target(self, index: int) -> Target:
        t = self._targets[index]
        if t is None:
            t = self._targets[index] = target_of(self.post.links[index])
        return t

    def dest_text(self, link: Link) -> str:
        """The destination exactly as it stands in the text (what a fix may edit)."""
        return self.text[link.dest_start : link.dest_end]

    # -- domain lists from the config ----------------------------------------------------
    @cached_property
    def trusted(self) -> DomainSet:
        return DomainSet(self.config.trusted, registrable=True)

    @cached_property
    def blocked(self) -> DomainSet:
        return DomainSet(self.config.blocked)

    @cached_property
    def partners(self) -> DomainSet:
        return DomainSet(self.config.partners)

    def is_trusted(self, target: Target) -> bool:
        return bool(target.host) and self.trusted.match(target.host) is not None

    def registrable(self, target: Target) -> str | None:
        return registrable_domain(target.host) if target.host else None

    def threshold(self, name: str) -> float:
        try:
            return self._thresholds[name]
        except KeyError:
            value = self._thresholds[name] = self.config.threshold(name)
            return value

    # -- findings ------------------------------------------------------------------------
    def finding(
        self,
        rule_id: str,
        message: str,
        start: int,
        end: int,
        *,
        link_index: int | None = None,
        fixes: Sequence[Fix] = (),
        data: dict[str, Any] | None = None,
    ) -> Finding:
        info = RULES[rule_id]
        return Finding(
            rule=rule_id,
            category=info.category,
            severity=info.severity,
            message=message,
            start=start,
            end=end,
            fixes=tuple(fixes),
            link_index=link_index,
            data=data or {},
        )

    def link_finding(
        self,
        rule_id: str,
        index: int,
        message: str,
        *,
        fixes: Sequence[Fix] = (),
        data: dict[str, Any] | None = None,
    ) -> Finding:
        link = self.post.links[index]
        return self.finding(
            rule_id, message, link.start, link.end, link_index=index, fixes=fixes, data=data
        )

