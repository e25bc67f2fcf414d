"""The relevance verdicts as data: per link (for the JSON `relevance` field) and per post."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linkwriter.core.model import Finding

ON_TOPIC = "on-topic"
OFF_TOPIC = "off-topic"
NOT_JUDGED = "not-judged"  # page known, but no fair verdict (other language, empty page, ...)
UNCHECKED = "unchecked"  # no page metadata (offline, not fetched, not a web page)


@dataclass(slots=True)
class LinkRelevance:
    link_index: int
    url: str
    verdict: str  # ON_TOPIC, OFF_TOPIC, NOT_JUDGED or UNCHECKED
    score: float | None = None  # in [0, 1]; None when no page was compared
    shared: list[str] = field(default_factory=list)  # the writer's words the page has
    missing: list[str] = field(default_factory=list)  # the writer's words the page lacks
    reason: str = ""  # why not judged, in words
    page_title: str = ""
    page_lang: str = ""
    text_lang: str = ""
    post_score: float | None = None  # page vs the whole post's key terms
    backend: str = "lexical"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "score": self.score,
            "shared": self.shared,
            "missing": self.missing,
        }
        if self.reason:
            out["reason"] = self.reason
        if self.page_title:
            out["page_title"] = self.page_title
        if self.page_lang:
            out["page_lang"] = self.page_lang
        if self.post_score is not None:
            out["post_score"] = self.post_score
        out["backend"] = self.backend
        return out


@dataclass(slots=True)
class RelevanceSummary:
    """Document-level view: what the post is about and how many links fit it."""

    lang: str
    key_terms: list[str]
    links: list[LinkRelevance] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def _count(self, verdict: str) -> int:
        return sum(1 for link in self.links if link.verdict == verdict)

    @property
    def on_topic(self) -> int:
        return self._count(ON_TOPIC)

    @property
    def off_topic(self) -> int:
        return self._count(OFF_TOPIC)

    @property
    def not_judged(self) -> int:
        return self._count(NOT_JUDGED)

    @property
    def unchecked(self) -> int:
        return self._count(UNCHECKED)

    @property
    def judged(self) -> int:
        return self.on_topic + self.off_topic

    def for_link(self, index: int) -> LinkRelevance | None:
        return next((link for link in self.links if link.link_index == index), None)

    def text(self) -> str:
        """One line for `linkwriter check` text output."""
        about = ", ".join(self.key_terms[:6]) or "(too little text to tell)"
        line = f"Relevance: the post is about {about}."
        if self.judged:
            line += f" {self.on_topic} of {self.judged} checked links are on topic."
        extra = []
        if self.not_judged:
            extra.append(f"{self.not_judged} not judged")
        if self.unchecked:
            extra.append(f"{self.unchecked} without page data")
        if extra:
            line += f" ({', '.join(extra)}.)"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "key_terms": self.key_terms,
            "links_on_topic": self.on_topic,
            "links_off_topic": self.off_topic,
            "links_not_judged": self.not_judged,
            "links_unchecked": self.unchecked,
            "links": {str(link.link_index): link.to_dict() for link in self.links},
        }
