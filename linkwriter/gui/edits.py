"""Text edits behind the quick actions, as core Fix objects (code-point offsets, no Qt).

Each function returns the exact edit(s) so the window can apply them as one undo step.
"""

from __future__ import annotations

import re

from linkwriter.core.model import Fix, Link, LinkKind
from linkwriter.core.post import Post

POST_MARKER_RE = re.compile(r"<!--\s*linkwriter-ignore-post:\s*([^>]*?)\s*-->")
# What may stand before a link at the start of a block line: indentation, quote and list marks.
BLOCK_PREFIX_RE = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def marker(rules: tuple[str, ...]) -> str:
    return f"<!-- linkwriter-ignore: {', '.join(rules)} -->"


def post_marker(rules: tuple[str, ...]) -> str:
    return f"<!-- linkwriter-ignore-post: {', '.join(rules)} -->"


def ignore_here(post: Post, link_index: int, rule: str) -> Fix | None:
    """Put (or extend) an ignore marker right before the link.

    A line starting with "<!--" would turn into a raw HTML block and swallow the link, so a
    link that starts a block line gets the marker at the end of the previous line instead,
    or on a line of its own when a blank line or the top of the post comes before it.
    """
    text = post.text
    for m in post.ignore_markers:
        if m.link_index == link_index:
            if not m.rules or rule in m.rules:
                return None  # already silenced
            return Fix("Ignore here", m.start, m.end, marker((*m.rules, rule)))
    link = post.links[link_index]
    line_start = text.rfind("\n", 0, link.start) + 1
    prefix = text[line_start:link.start]
    if not BLOCK_PREFIX_RE.match(prefix):
        return Fix("Ignore here", link.start, link.start, marker((rule,)) + " ")
    if line_start > 0:
        prev_start = text.rfind("\n", 0, line_start - 1) + 1
        prev = text[prev_start:line_start - 1]
        if prev.strip() and not FENCE_RE.match(prev) and not prev.rstrip().endswith("|"):
            end = prev_start + len(prev.rstrip())
            return Fix("Ignore here", end, end, " " + marker((rule,)))
    return Fix("Ignore here", line_start, line_start, marker((rule,)) + "\n")


def ignore_in_post(post: Post, rule: str) -> Fix | None:
    m = POST_MARKER_RE.search(post.text)
    if m:
        rules = tuple(r.strip() for r in m.group(1).split(",") if r.strip())
        if rule in rules:
            return None
        return Fix("Ignore rule in this post", m.start(), m.end(), post_marker((*rules, rule)))
    at = post.body_start
    return Fix("Ignore rule in this post", at, at, post_marker((rule,)) + "\n")


def _closing_tag(text: str, after: int) -> tuple[int, int] | None:
    m = re.compile(r"</a\s*>", re.IGNORECASE).search(text, after)
    return (m.start(), m.end()) if m else None


def unlink(post: Post, link: Link) -> Fix | None:
    """Remove the link and keep what the reader saw."""
    text = post.text
    if link.kind in (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.IMAGE):
        return Fix("Remove link, keep text", link.start, link.end,
                   text[link.label_start:link.label_end])
    if link.kind in (LinkKind.AUTOLINK, LinkKind.BARE):
        # Code formatting keeps the address visible without it being linked again.
        return Fix("Remove link, keep text", link.start, link.end, f"`{link.url}`")
    if link.kind == LinkKind.HTML:
        close = _closing_tag(text, link.end)
        if close is None:
            return None
        return Fix("Remove link, keep text", link.start, close[1], text[link.end:close[0]])
    return None


def _md_dest(url: str) -> str:
    return f"<{url}>" if any(c in url for c in " ()<>") else url


def edit_link(post: Post, link: Link, new_text: str, new_url: str) -> list[Fix]:
    """Edits that give the link new anchor text and destination (one undo step together)."""
    text = post.text
    title = "Edit link"
    fixes: list[Fix] = []
    if link.kind in (LinkKind.AUTOLINK, LinkKind.BARE):
        if new_text and new_text != link.url and new_text != new_url:
            return [Fix(title, link.start, link.end, f"[{new_text}]({_md_dest(new_url)})")]
        if new_url != link.url:
            return [Fix(title, link.dest_start, link.dest_end, new_url)]
        return []
    if new_text != text[link.label_start:link.label_end]:
        fixes.append(Fix(title, link.label_start, link.label_end, new_text))
    if new_url != link.url:
        dest_written = text[link.dest_start:link.dest_end]
        angled = dest_written.startswith("<") and dest_written.endswith(">")
        if link.kind == LinkKind.HTML:
            value = new_url.replace('"', "&quot;")
        elif angled:
            value = f"<{new_url}>"
        else:
            value = _md_dest(new_url)
        fixes.append(Fix(title, link.dest_start, link.dest_end, value))
    return fixes
