"""Cleaned Markdown for publishing: exact edits only, everything else byte-for-byte.

Each pass re-parses the text it produced, so every edit is computed on exact spans of the
current text and clean(clean(x)) == clean(x) holds by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from linkwriter.core.analysis import analyze
from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.model import Finding, Fix, LinkKind, apply_fixes
from linkwriter.core.post import Post

# Rules whose first fix `clean` applies; network rules add theirs (https upgrade, final URL).
CLEAN_RULES = ("tracking-params",)
NETWORK_CLEAN_RULES = ("redirected", "insecure-http")


@dataclass(frozen=True, slots=True)
class CleanOptions:
    strip_markers: bool = False
    tracking: bool = True
    bare_urls: bool = True
    unused_definitions: bool = True


def clean_text(
    text: str,
    config: Config,
    options: CleanOptions = CleanOptions(),
    network_findings: Iterable[Finding] = (),
) -> str:
    """Apply the cleaning passes in a fixed order; see the module docstring."""
    if options.tracking or network_findings:
        analysis = analyze(text, config, extra=network_findings)
        wanted = set(CLEAN_RULES if options.tracking else ()) | set(NETWORK_CLEAN_RULES)
        fixes = [f.fixes[0] for f in analysis.findings if f.rule in wanted and f.fixes]
        text = apply_fixes(text, _within_links(fixes, analysis.post))
    if options.bare_urls:
        text = apply_fixes(text, bare_url_fixes(parse_post(text)))
    if options.unused_definitions:
        text = apply_fixes(text, unused_definition_fixes(parse_post(text)))
    if options.strip_markers:
        text = apply_fixes(text, marker_fixes(parse_post(text)))
    return text


def bare_url_fixes(post: Post) -> list[Fix]:
    """Bare URLs become explicit links that render the same href and show the same text."""
    fixes = []
    for link in post.links:
        if link.kind is not LinkKind.BARE:
            continue
        written = post.text[link.start : link.end]
        if written.lower().startswith(("http://", "https://", "ftp://")) or link.href.startswith(
            "mailto:"
        ):
            replacement = f"<{written}>"
        else:  # "www.example.com": an autolink needs a scheme, so keep the text visible as is
            replacement = f"[{written}]({link.href})"
        fixes.append(Fix("Make the bare URL an explicit link", link.start, link.end, replacement))
    return fixes


def unused_definition_fixes(post: Post) -> list[Fix]:
    fixes = []
    for definition in post.definitions:
        if definition.used:
            continue
        end = definition.end
        if post.text.startswith("\r\n", end):
            end += 2
        elif post.text.startswith(("\n", "\r"), end):
            end += 1
        fixes.append(Fix(f"Drop unused reference [{definition.label}]", definition.start, end, ""))
    return fixes


def marker_fixes(post: Post) -> list[Fix]:
    fixes = []
    text = post.text
    for marker in post.ignore_markers:
        start, end = marker.start, marker.end
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        rest = end
        while rest < len(text) and text[rest] in " \t":
            rest += 1
        if text[line_start:start].strip() == "" and (rest == len(text) or text[rest] in "\r\n"):
            # The marker stands on a line of its own: remove the whole line.
            start = line_start
            end = rest + (2 if text.startswith("\r\n", rest) else 1 if rest < len(text) else 0)
        fixes.append(Fix("Remove ignore marker", start, end, ""))
    return fixes


def _within_links(fixes: list[Fix], post: Post) -> list[Fix]:
    """Guard: cleaning only ever edits inside link destinations."""
    spans = [(link.dest_start, link.dest_end) for link in post.links]
    spans += [(d.dest_start, d.dest_end) for d in post.definitions]
    return [f for f in fixes if any(s <= f.start and f.end <= e for s, e in spans)]
