"""The `no-lead-in` rule: a link that stands alone gives the reader no reason to click.

WCAG 2.4.4 (and H78) want a link's purpose clear from its text plus its sentence, best from
words *before* it; Google asks for descriptive anchors. We flag three shapes: the link is the
whole sentence, nothing before it says what it is (and the anchor or the sentence is thin),
or several links share one bare sentence.
"""

from __future__ import annotations

import re

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Finding, Link, LinkKind, Severity
from linkwriter.core.post import Post
from linkwriter.core.suggest.sentence import (
    link_segment,
    links_near,
    strip_filler_after,
    strip_filler_before,
    surroundings,
)
from linkwriter.core.suggest.slots import is_vague

RULE_ID = "no-lead-in"
SUGGEST_RULES: tuple[dict[str, str], ...] = (
    {
        "id": RULE_ID,
        "category": Category.CTA.value,
        "severity": Severity.INFO.value,
        "summary": "A link stands alone (whole sentence, no context before it, or links sharing "
        "one bare sentence); add a lead-in that tells the reader why to click.",
    },
)
_WORD = re.compile(r"[^\W_][\w'’-]*")
_LINKS_RE = re.compile(r"!?\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?|<[a-z]+:[^>]*>|https?://\S+", re.I)
# Sections whose list items are links by design: the heading is the lead-in.
_LINK_SECTIONS = re.compile(
    r"(?i)\b(?:further reading|read(?:ing)? list|references|sources|see also|related|resources|"
    r"links|bibliography|credits|more reading|useful links|tools)\b"
)
MAX_FINDINGS_WITH_FIXES = 300  # beyond this many lone links, findings carry no fixes
MIN_CONTEXT_WORDS = 4  # fewer words than this around a link is "thin" (A10, our threshold)


# Matched at the line's start in the whole text: slicing text[line_start:] copied the rest of
# the post for every link (half a megabyte each, on average, in a 1 MB post).
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]")


def _words(text: str) -> int:
    return len(_WORD.findall(_LINKS_RE.sub(" ", text)))


def lead_in_problem(post: Post, index: int) -> str | None:
    """'whole-sentence', 'no-context-before', 'shared-bare-sentence', or None."""
    link = post.links[index]
    if link.kind is LinkKind.IMAGE or link.is_image:
        return None
    text = post.text
    sur = surroundings(post, link)
    if sur.capped:
        return None  # a "sentence" thousands of characters long is not prose we can judge
    line_start = text.rfind("\n", 0, sur.seg_start) + 1
    line_prefix = text[line_start : sur.seg_start]
    if re.match(r"^[ \t]*#{1,6}[ \t]", line_prefix) or re.match(r"^\s*\[[^\]]+\]:", line_prefix):
        return None  # headings and reference definitions carry no prose
    in_list = bool(_LIST_ITEM.match(text, line_start))
    if in_list and _LINK_SECTIONS.search(link.context.heading or ""):
        return None
    in_table = text[line_start : sur.seg_start].lstrip().startswith("|")
    if (in_list or in_table) and not is_vague(link):
        return None  # WCAG 2.4.4: the list item or cell is the context; a named link suffices

    others = [
        o
        for o in links_near(post, sur.span_start, sur.span_end)
        if o is not link
        and not (o.kind is LinkKind.IMAGE or o.is_image)
        and sur.span_start <= o.start
        and link_segment(text, o)[1] <= sur.span_end
    ]
    before = strip_filler_before(sur.before)
    after = strip_filler_after(sur.after)
    words_before, words_after = _words(before), _words(after)
    if others and words_before + words_after < MIN_CONTEXT_WORDS:
        return "shared-bare-sentence"
    if words_before == 0 and words_after == 0:
        return "whole-sentence"
    if words_before == 0 and (is_vague(link) or words_after < MIN_CONTEXT_WORDS):
        return "no-context-before"
    return None


_REASONS = {
    "whole-sentence": "is the whole sentence",
    "no-context-before": "has no context before it",
    "shared-bare-sentence": "shares a bare sentence with other links",
}


def _ignored(post: Post, index: int) -> bool:
    for marker in post.ignore_markers:
        if marker.link_index == index and (not marker.rules or RULE_ID in marker.rules):
            return True
    return False


def suggestion_findings(
    post: Post, config: Config | None = None, pages: dict[str, dict] | None = None
) -> list[Finding]:
    """`no-lead-in` findings for `linkwriter check`, each carrying the top suggestions as fixes."""
    config = config or Config()
    if RULE_ID in config.ignore:
        return []
    severity = suggestion_severity(config)
    findings: list[Finding] = []
    for index in range(len(post.links)):
        reason = lead_in_problem(post, index)
        if reason is None or _ignored(post, index):
            continue
        findings.append(lead_in_finding(
            post, index, config, pages, severity, reason,
            with_fixes=len(findings) < MAX_FINDINGS_WITH_FIXES,
        ))
    return findings


def suggestion_severity(config: Config) -> Severity:
    try:
        return Severity(config.severity.get(RULE_ID, Severity.INFO.value))
    except ValueError:
        return Severity.INFO


def lead_in_finding(
    post: Post, index: int, config: Config, pages: dict[str, dict] | None, severity: Severity,
    reason: str, *, with_fixes: bool,
) -> Finding:
    """The `no-lead-in` finding of one link whose lead_in_problem is `reason`."""
    from linkwriter.core.suggest.engine import LinkSuggestions, suggest_for_link

    link = post.links[index]
    if with_fixes:
        result = suggest_for_link(post, index, config, pages, use_ai=False)
    else:  # a pathological post: still say which links, but skip the costly edits
        result = LinkSuggestions(*_intent_only(post, index, config, pages))
    fixes = tuple(result.suggestions[:3])
    return Finding(
        rule=RULE_ID,
        category=Category.CTA,
        severity=severity,
        message=_message(link, reason, result.intent.label, fixes),
        start=link.start,
        end=link_segment(post.text, link)[1],
        fixes=fixes,
        link_index=index,
        data={
            "reason": reason,
            "intent": result.intent.value,
            "cues": [str(c) for c in result.cues[:5]],
        },
    )


def _intent_only(post: Post, index: int, config: Config, pages: dict | None) -> tuple:
    from linkwriter.core.suggest.engine import classify_link

    result = classify_link(post, index, config, pages)
    return result.intent, result.cues, [], result.affiliate, index


def _message(link: Link, reason: str, intent_label: str, fixes: tuple) -> str:
    anchor = link.text.strip() or link.url
    if len(anchor) > 40:
        anchor = anchor[:37] + "…"
    msg = (
        f"Link \u201c{anchor}\u201d {_REASONS[reason]}: readers get no reason to click, and "
        f"search engines get no context for it. Add a lead-in that says what they will find "
        f"(looks like {intent_label})"
    )
    if fixes:
        return msg + f", e.g. \u201c{fixes[0].title}\u201d"
    return msg + "."
