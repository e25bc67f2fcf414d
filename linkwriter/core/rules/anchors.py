"""Anchor-text rules: what the reader sees and clicks, and what search engines read as the
description of the target page."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from linkwriter.core.model import Category, Finding, Link, LinkKind, Severity
from linkwriter.core.rules.context import RuleContext
from linkwriter.core.rules.domains import registrable_domain
from linkwriter.core.rules.lists import load_sections
from linkwriter.core.rules.registry import rule
from linkwriter.core.rules.urls import Target

RELEVANCE = Category.RELEVANCE
STYLE = Category.STYLE

_WORD = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_SPACE = re.compile(r"\s")
_ALT_ATTR = re.compile(r"\salt\s*=", re.IGNORECASE)
_FULL_URL = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|www\.)\S+$", re.IGNORECASE)
_DOMAIN_TEXT = re.compile(r"^([a-z0-9\-]+(?:\.[a-z0-9\-]+)+)\.?(?:[/:?#]\S*)?$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def normalize_anchor(text: str) -> str:
    """Lower-case, single spaces, no surrounding punctuation or arrows ("Read more »")."""
    text = " ".join(text.split()).lower()
    return _EDGE_PUNCT.sub("", text)


@cache
def generic_phrases() -> dict[str, str]:
    """phrase -> language, from resources/lists/generic-anchors.txt."""
    out: dict[str, str] = {}
    for lang, phrases in load_sections("generic-anchors.txt").items():
        for phrase in phrases:
            out.setdefault(normalize_anchor(phrase), lang)
    return out


_LONGEST_GENERIC = 48  # characters; longer anchors are never a generic phrase


def _is_text_link(link: Link) -> bool:
    return not (link.is_image or link.kind is _IMAGE)


_IMAGE = LinkKind.IMAGE


def _label_has_image(ctx: RuleContext, link: Link) -> bool:
    return "![" in ctx.text[link.label_start : link.label_end] or "<img" in ctx.text[
        link.label_start : link.label_end
    ].lower()


# --------------------------------------------------------------------------- empty-anchor
@rule("empty-anchor", STYLE, Severity.WARNING, "link with no visible text")
def check_empty_anchor(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not _is_text_link(link) or link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return None
    if link.text.strip() or _label_has_image(ctx, link):
        return None
    return ctx.link_finding(
        "empty-anchor",
        index,
        "This link has no text, so it is invisible on the page: readers cannot click it, "
        "screen readers announce only 'link', and search engines get no description of the "
        "target. Put a few words describing the target between the brackets.",
    )


# --------------------------------------------------------------------------- missing-alt
@rule("missing-alt", STYLE, Severity.WARNING, "image without alt text")
def check_missing_alt(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not link.is_image and link.kind is not LinkKind.IMAGE:
        return None
    if link.text.strip():
        return None
    if link.kind is LinkKind.HTML and _ALT_ATTR.search(ctx.text, link.start, link.end):
        return None  # <img alt=""> written out: the HTML way to mark an image decorative
    return ctx.link_finding(
        "missing-alt",
        index,
        "This image has no alt text: screen-reader users hear nothing (or the file name), "
        "readers on slow connections see an empty box, and image search cannot index it. "
        "Describe what the image shows in the brackets: ![what the image shows](...).",
    )


# --------------------------------------------------------------------------- long-anchor
@rule("long-anchor", STYLE, Severity.INFO, "anchor text longer than a short phrase",
      thresholds=("long-anchor-words",))
def check_long_anchor(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not _is_text_link(link) or link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return None
    limit = int(ctx.threshold("long-anchor-words"))
    if len(link.text) <= 2 * limit:
        return None  # n words need at least 2n - 1 characters: the common, short case
    words = len(_WORD.findall(link.text))
    if words <= limit:
        return None
    return ctx.link_finding(
        "long-anchor",
        index,
        f"This anchor text is {words} words long (the limit is {limit}): long links are hard "
        "to scan, blur which words describe the target, and dilute the anchor text search "
        "engines use. Link only the few words that name the target.",
        data={"words": words, "limit": limit},
    )


# --------------------------------------------------------------------------- generic-anchor
@rule("generic-anchor", RELEVANCE, Severity.WARNING,
      "anchor text like 'click here', 'read more', 'hier', 'ici', 'aquí'")
def check_generic_anchor(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not _is_text_link(link) or link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return None
    if len(link.text) > _LONGEST_GENERIC:
        return None
    phrase = normalize_anchor(link.text)
    if not phrase:
        return None
    lang = generic_phrases().get(phrase)
    if lang is None:
        return None
    return ctx.link_finding(
        "generic-anchor",
        index,
        f"The anchor text {link.text.strip()!r} says nothing about where the link goes: "
        "readers scanning the page and screen-reader users listing links cannot tell it "
        "apart, and search engines learn nothing about the target. Link the words that name "
        "the target instead (for example the page's title or topic).",
        data={"phrase": phrase, "language": lang},
    )


# --------------------------------------------------------------------------- url-as-anchor
@lru_cache(maxsize=8192)
def looks_like_url(text: str, host: str = "") -> bool:
    """A full address ("https://...", "www...") or the target's own domain ("example.com/x").

    A dotted name alone is not enough: "Node.js" or "Socket.io" may just be a product name,
    so it counts only when it names the site the link goes to.
    """
    if "." not in text:
        return False  # every address and domain has a dot; most anchor texts do not
    text = text.strip().strip("<>")
    if not text or _SPACE.search(text):
        return False
    if _FULL_URL.match(text):
        return True
    m = _DOMAIN_TEXT.match(text)
    if not m or not host:
        return False
    name = m.group(1).lower()
    if name == host or name == host.removeprefix("www."):
        return True
    reg = registrable_domain(host)
    return reg is not None and registrable_domain(name) == reg


@rule("url-as-anchor", STYLE, Severity.INFO, "the raw web address is the visible link text")
def check_url_as_anchor(
    ctx: RuleContext, index: int, link: Link, target: Target
) -> Finding | None:
    if not _is_text_link(link):
        return None
    if link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        if target.scheme == "mailto":
            return None
    elif not looks_like_url(link.text, target.host):
        return None
    return ctx.link_finding(
        "url-as-anchor",
        index,
        "The visible text of this link is a raw web address: it is hard to read aloud and to "
        "scan, screen readers spell it out, and it tells search engines nothing about the "
        "page. Write a short description of the target and link that instead.",
    )
