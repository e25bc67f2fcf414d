"""Shared helpers for the rule tests: parse real Markdown, run the rules, apply fixes."""

from __future__ import annotations

import re

from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Link, LinkContext, LinkKind, apply_fixes
from linkwriter.core.post import Post
from linkwriter.core.rules import check_post

try:  # the real extractor, once it has landed on main
    from linkwriter.core.extract import parse_post
except ImportError:  # pragma: no cover - temporary stand-in until the merge
    import os

    import linkwriter.core

    if os.environ.get("LW_EXTRACT_CORE"):  # TEMPORARY: remove after merging main
        linkwriter.core.__path__.append(os.environ["LW_EXTRACT_CORE"])
        from linkwriter.core.extract import parse_post
    else:
        parse_post = None  # type: ignore[assignment]


_INLINE = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)\)")
_AUTO = re.compile(r"<((?:https?|[a-z]+):[^>\s]*)>")
_BARE = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>)\]]+|(?<![/\w.])www\.[^\s<>)\]]+")


def _mini_parse(text: str) -> Post:
    """Inline links, images, autolinks and bare URLs; enough for single-construct tests."""
    links: list[tuple[int, Link]] = []
    taken: list[tuple[int, int]] = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]+\n?)+", text)]

    def ctx(pos: int) -> LinkContext:
        for s, e in paragraphs:
            if s <= pos < e:
                para = " ".join(text[s:e].split())
                return LinkContext(sentence=para, paragraph=para)
        return LinkContext()

    def line_col(pos: int) -> tuple[int, int]:
        line = text.count("\n", 0, pos) + 1
        return line, pos - (text.rfind("\n", 0, pos) + 1) + 1

    for m in _INLINE.finditer(text):
        image = bool(m.group(1))
        line, col = line_col(m.start())
        links.append((m.start(), Link(
            kind=LinkKind.IMAGE if image else LinkKind.INLINE, url=m.group(3), href=m.group(3),
            text=m.group(2), title=None, start=m.start(), end=m.end(),
            dest_start=m.start(3), dest_end=m.end(3), label_start=m.start(2),
            label_end=m.end(2), line=line, column=col, context=ctx(m.start()), is_image=image,
        )))
        taken.append((m.start(), m.end()))
    for m in _AUTO.finditer(text):
        line, col = line_col(m.start())
        links.append((m.start(), Link(
            kind=LinkKind.AUTOLINK, url=m.group(1), href=m.group(1), text=m.group(1),
            title=None, start=m.start(), end=m.end(), dest_start=m.start(1),
            dest_end=m.end(1), label_start=m.start(1), label_end=m.end(1), line=line,
            column=col, context=ctx(m.start()),
        )))
        taken.append((m.start(), m.end()))
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        url = m.group(0).rstrip(".,;:!?")
        end = m.start() + len(url)
        line, col = line_col(m.start())
        href = url if "://" in url else "http://" + url
        links.append((m.start(), Link(
            kind=LinkKind.BARE, url=url, href=href, text=url, title=None, start=m.start(),
            end=end, dest_start=m.start(), dest_end=end, label_start=m.start(),
            label_end=end, line=line, column=col, context=ctx(m.start()),
        )))
    links.sort(key=lambda x: x[0])
    words = len(re.findall(r"\w+", re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)))
    return Post(text=text, links=[link for _, link in links], word_count=words)


def parse(text: str) -> Post:
    if parse_post is not None:
        return parse_post(text)
    return _mini_parse(text)


def check(text: str, config: Config | None = None) -> list[Finding]:
    return check_post(parse(text), config or Config())


def rules_of(text: str, config: Config | None = None) -> list[str]:
    return [f.rule for f in check(text, config)]


def only(text: str, rule: str, config: Config | None = None) -> list[Finding]:
    return [f for f in check(text, config) if f.rule == rule]


def apply_all(text: str, findings: list[Finding]) -> str:
    return apply_fixes(text, [fix for f in findings for fix in f.fixes])
