"""The one pipeline the CLI, the app and the export share: text -> Post -> Findings.

Providers (offline rules, suggestions, relevance, network) produce raw findings; this module
applies what the writer decided: ignored rules, severity overrides, and in-post ignore markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.model import Finding, Severity
from linkwriter.core.post import Post

Provider = Callable[[Post, Config], Sequence[Finding]]

# `<!-- linkwriter-ignore-post: rule-a, rule-b -->` silences rules for the whole post (the app's
# "Ignore rule in this post" writes it); `linkwriter-ignore:` markers silence the next link only.
POST_IGNORE_RE = re.compile(r"<!--\s*linkwriter-ignore-post:\s*([^>]*?)\s*-->")


def post_ignored_rules(text: str) -> set[str]:
    rules: set[str] = set()
    for m in POST_IGNORE_RE.finditer(text):
        rules.update(r.strip() for r in m.group(1).split(",") if r.strip())
    return rules


@dataclass(slots=True)
class Analysis:
    post: Post
    findings: list[Finding] = field(default_factory=list)

    def for_link(self, index: int) -> list[Finding]:
        return [f for f in self.findings if f.link_index == index]

    @property
    def document_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.link_index is None]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def offline_providers(*, relevance: bool = True) -> list[Provider]:
    """Every provider that needs no network, in a stable order.

    Relevance without pages judges what the URL alone tells (slug-mismatch); callers that
    have page metadata run it themselves with the pages and pass relevance=False.
    """
    from linkwriter.core.relevance import relevance_provider
    from linkwriter.core.rules import check_post
    from linkwriter.core.suggest import suggestion_findings

    providers: list[Provider] = [check_post, suggestion_findings]
    if relevance:
        providers.append(relevance_provider({}))
    return providers


def analyze(
    text_or_post: str | Post,
    config: Config,
    *,
    extra: Iterable[Finding] = (),
    providers: Sequence[Provider] | None = None,
) -> Analysis:
    post = parse_post(text_or_post) if isinstance(text_or_post, str) else text_or_post
    raw: list[Finding] = []
    for provider in offline_providers() if providers is None else providers:
        raw.extend(provider(post, config))
    raw.extend(extra)
    return Analysis(post=post, findings=settle(post, raw, config))


def settle(post: Post, findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Apply ignores, severity overrides and markers; drop duplicates; sort by position."""
    ignored = set(config.ignore) | post_ignored_rules(post.text)
    silenced: dict[int, set[str] | None] = {}
    for marker in post.ignore_markers:
        if marker.link_index is None:
            continue
        if not marker.rules:
            silenced[marker.link_index] = None  # every rule
        elif silenced.get(marker.link_index, set()) is not None:
            silenced.setdefault(marker.link_index, set()).update(marker.rules)
    out: list[Finding] = []
    seen: dict[tuple[str, int | None, int, int], int] = {}
    for f in findings:
        if f.rule in ignored:
            continue
        if f.link_index is not None and f.link_index in silenced:
            rules = silenced[f.link_index]
            if rules is None or f.rule in rules:
                continue
        key = (f.rule, f.link_index, f.start, f.end)
        override = config.severity.get(f.rule)
        if override and override != f.severity.value:
            f = replace(f, severity=Severity(override))
        if key in seen:
            # Same verdict from two providers (insecure-http offline and verified online):
            # keep the one that carries fixes.
            if f.fixes and not out[seen[key]].fixes:
                out[seen[key]] = f
            continue
        seen[key] = len(out)
        out.append(f)
    out.sort(key=lambda f: (f.start, f.end, -f.severity.rank, f.rule))
    return out
