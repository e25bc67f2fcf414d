"""Rules about how links sit in the post: repeats, neighbours, density and partner links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from linkwriter.core.model import Category, Finding, Fix, Link, LinkKind, Severity
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.registry import POST, rule
from linkwriter.core.rules.trust import is_tracking_param
from linkwriter.core.rules.urls import Target

RELEVANCE = Category.RELEVANCE
STYLE = Category.STYLE

_WORD = re.compile(r"\w+", re.UNICODE)
_HARD_BREAK = re.compile(r" {2,}\r?\n")  # a Markdown line break: the links sit on two lines


def _is_image(link: Link) -> bool:
    return link.is_image or link.kind is LinkKind.IMAGE


def _label_has_image(ctx: RuleContext, link: Link) -> bool:
    label = ctx.text[link.label_start : link.label_end]
    return "![" in label or "<img" in label.lower()


@lru_cache(maxsize=16384)  # Targets are shared per distinct URL, so identity is the key
def target_key(target: Target) -> str | None:
    """Two links with the same key open the same page (tracking parameters aside)."""
    if target.web and target.host and not target.problem:
        host = target.host[4:] if target.host.startswith("www.") else target.host
        port = "" if target.port in (None, 80, 443) else f":{target.port}"
        path = target.path.rstrip("/") or "/"
        params = [
            q
            for q in target.query.split("&")
            if q and not is_tracking_param(q.split("=", 1)[0], host)
        ]
        query = "?" + "&".join(params) if params else ""
        frag = "#" + target.fragment if target.fragment else ""
        return f"//{host}{port}{path}{query}{frag}"
    if target.is_relative:
        value = target.value.strip()
        if not value or value.startswith("#"):
            return None  # in-page anchors (tables of contents) repeat by design
        return value
    return None


def _name(link: Link, fallback: str = "the previous link") -> str:
    text = " ".join(link.text.split())
    if not text:
        return fallback
    return f"the link {text[:60] + '…' if len(text) > 60 else text!r}"


# --------------------------------------------------------------------------- duplicate-link
@rule("duplicate-link", RELEVANCE, Severity.INFO, "the same target linked again in one post",
      scope=POST)
def check_duplicates(ctx: RuleContext) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, link in enumerate(ctx.links):
        if _is_image(link):
            continue
        key = target_key(ctx.target(index))
        if key is None:
            continue
        if key not in first:
            first[key] = index
            continue
        original = ctx.links[first[key]]
        fixes = []
        if link.kind in (LinkKind.INLINE, LinkKind.REFERENCE) and link.label_end > link.label_start:
            fixes.append(
                Fix("Unlink this repeat (keep the text)", link.start, link.end,
                    ctx.text[link.label_start : link.label_end])
            )
        yield ctx.link_finding(
            "duplicate-link",
            index,
            f"This links to the same page as {_name(original, 'an earlier link')} on line "
            f"{original.line}: repeated links add clutter for readers and search "
            "engines weigh only the first anchor text. Keep one link, or link a different "
            "page here.",
            fixes=fixes,
            data={"first_link_index": first[key], "first_line": original.line},
        )


# --------------------------------------------------------------------------- adjacent-links
@rule("adjacent-links", STYLE, Severity.WARNING, "two links with nothing but space between them",
      scope=POST)
def check_adjacent(ctx: RuleContext) -> Iterator[Finding]:
    prev_index: int | None = None
    prev_end = -1
    for index, link in enumerate(ctx.links):
        if link.start < prev_end:
            continue  # nested (an image inside a link): part of the outer link
        if prev_index is not None:
            prev = ctx.links[prev_index]
            gap = ctx.text[prev.end : link.start]
            if (
                not gap.strip()
                and gap.count("\n") < 2
                and not _HARD_BREAK.search(gap)
                and not any(_is_image(x) or _label_has_image(ctx, x) for x in (prev, link))
                and link.kind is not LinkKind.HTML
                and prev.kind is not LinkKind.HTML
            ):
                yield ctx.finding(
                    "adjacent-links",
                    f"This link directly follows {_name(prev)} with nothing "
                    "but space between them: on the page they read as one link, so readers "
                    "cannot tell where one ends or which goes where, and screen-reader users "
                    "hear two links with no context. Put words between them (\"and\", a "
                    "comma, a short phrase) or merge them into one link.",
                    prev.start,
                    link.end,
                    link_index=index,
                    data={"previous_link_index": prev_index},
                )
        prev_index, prev_end = index, link.end


# --------------------------------------------------------------------------- link-density
def _word_count(ctx: RuleContext) -> int:
    if ctx.post.word_count:
        return ctx.post.word_count
    return len(_WORD.findall(ctx.text[ctx.post.body_start :]))


@rule("link-density", RELEVANCE, Severity.WARNING, "too many links for the words around them",
      scope=POST, thresholds=("link-density-words-per-link", "link-density-min-links"))
def check_density(ctx: RuleContext) -> Iterator[Finding]:
    count = sum(1 for link in ctx.links if not _is_image(link))
    min_links = int(ctx.threshold("link-density-min-links"))
    per_link = ctx.threshold("link-density-words-per-link")
    if count < max(1, min_links):
        return
    words = _word_count(ctx)
    if words / count >= per_link:
        return
    yield ctx.finding(
        "link-density",
        f"This post has {count} links for {words} words (one link every {words / count:.0f} "
        f"words; aim for at least {per_link:.0f}): readers cannot tell which links matter, "
        "and search engines treat link-packed pages as low quality and split the value of "
        "each link. Keep the links that help the reader most and drop the rest.",
        ctx.post.body_start,
        len(ctx.text),
        data={"links": count, "words": words, "words_per_link": per_link},
    )


# --------------------------------------------------------------------------- partner-overlinking
@rule("partner-overlinking", RELEVANCE, Severity.WARNING,
      "more links to your partner domains than the set limit", scope=POST,
      thresholds=("partner-max-links",))
def check_partners(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.partners:
        return
    hits: list[int] = []
    domains: list[str] = []
    for index, link in enumerate(ctx.links):
        if _is_image(link):
            continue
        target = ctx.target(index)
        entry = ctx.partners.match(target.host) if target.host else None
        if entry is not None:
            hits.append(index)
            if entry not in domains:
                domains.append(entry)
    limit = int(ctx.threshold("partner-max-links"))
    if len(hits) <= limit:
        return
    first, last = ctx.links[hits[0]], ctx.links[hits[-1]]
    yield ctx.finding(
        "partner-overlinking",
        f"This post links {len(hits)} times to your partner domains ({', '.join(domains)}); "
        f"your limit is {limit}. Search engines treat excessive reciprocal links (\"link "
        "swaps\") as a link scheme and can demote both sites, and readers notice when links "
        "serve a deal rather than them. Keep the partner links that truly help the reader, "
        "or mark paid ones rel=\"sponsored\".",
        first.start,
        last.end,
        data={"links": hits, "domains": domains, "limit": limit},
    )
