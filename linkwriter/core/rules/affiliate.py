"""Call-to-action rules: links that earn the writer money must say so."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from linkwriter.core.model import Category, Finding, Fix, Link, LinkKind, Severity
from linkwriter.core.paragraph_reads import paragraph_of
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.domains import DomainSet
from linkwriter.core.rules.lists import load_sections
from linkwriter.core.rules.registry import rule
from linkwriter.core.rules.urls import Target

CTA = Category.CTA
DISCLOSURE_TEXT = " (affiliate link)"
FIX_TITLE = "Add \u201c(affiliate link)\u201d after the link"


@cache
def _affiliate_lists() -> tuple[DomainSet, DomainSet, frozenset[str]]:
    sections = load_sections("affiliate.txt")
    return (
        DomainSet(sections.get("hosts", ())),
        DomainSet(sections.get("amazon", ())),
        frozenset(sections.get("params", ())),
    )


@cache
def disclosure_pattern() -> re.Pattern[str]:
    words = {w for ws in load_sections("disclosure-words.txt").values() for w in ws}
    words.add("[ad]")  # cannot be written in the list: it reads as a section header there
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def affiliate_reason(target: Target) -> str:
    """Why the target is an affiliate link ("" if it is not)."""
    if not target.web or not target.host:
        return ""
    return _reason(target.host, target.query, target.path)


# Impact serves tracking links from advertisers' own vanity hosts (goto.target.com/c/1/2/3).
_IMPACT_PATH = re.compile(r"^/c/\d+/\d+/\d+/?$")


# `ref=` naming a site (`ref=example.com`, added by Ghost and newsletters to outbound links)
# or left empty says where the click came from, not who earns from it.
_SOURCE_REF = re.compile(r"^$|^[^.]*\.[^.]+")


@lru_cache(maxsize=8192)
def _reason(host: str, query: str, path: str) -> str:
    hosts, amazon, params = _affiliate_lists()
    network = hosts.match(host)
    if network:
        return f"it goes through the affiliate link service {network}"
    if _IMPACT_PATH.match(path):
        return "its /c/<partner>/<ad>/<campaign> path is an Impact affiliate link"
    pairs = [q.partition("=") for q in query.split("&") if q]
    names = [name.lower() for name, _, _ in pairs]
    if "tag" in names and amazon.match(host):
        return "it carries an Amazon Associates tag="
    for (_, _, value), name in zip(pairs, names, strict=True):
        if name in params and not (name == "ref" and _SOURCE_REF.match(value)):
            return f"it carries the referral parameter {name}="
    return ""


def _paragraph(ctx: RuleContext, link: Link) -> str:
    if link.context.paragraph:
        return paragraph_of(link.context)
    text = ctx.text
    start = text.rfind("\n\n", 0, link.start)
    end = text.find("\n\n", link.end)
    return text[start + 1 if start >= 0 else 0 : end if end >= 0 else len(text)]


_CLOSE_A = re.compile(r"</a\s*>", re.IGNORECASE)


def _after_link(ctx: RuleContext, link: Link) -> int | None:
    """Where the visible link ends: after `</a>` for raw HTML, else the end of the link."""
    if link.kind is not LinkKind.HTML:
        return link.end
    m = _CLOSE_A.search(ctx.text, max(link.end, link.label_end))
    return m.end() if m else None


@rule("affiliate-undisclosed", CTA, Severity.WARNING,
      "affiliate or referral link with no disclosure in its paragraph")
def check_affiliate(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    reason = affiliate_reason(target)
    if not reason:
        return None
    if disclosure_pattern().search(_paragraph(ctx, link)):
        return None
    fixes = []
    at = _after_link(ctx, link)
    if at is not None:
        fixes.append(Fix(FIX_TITLE, at, at, DISCLOSURE_TEXT))
    return ctx.link_finding(
        "affiliate-undisclosed",
        index,
        f"This looks like an affiliate or referral link ({reason}) and its paragraph does "
        "not say so: readers trust a recommendation less when they later find it paid, and "
        "advertising rules (FTC, ASA, EU) require a clear disclosure next to the link; search "
        "engines expect paid links to be marked too. Say it is an affiliate link in the same "
        "paragraph.",
        fixes=fixes,
        data={"reason": reason},
    )
