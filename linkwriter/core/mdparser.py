"""An instrumented markdown-it-py parser whose inline tokens know where they came from.

markdown-it-py inline tokens carry no positions, so the inline rules are wrapped: each
records `state.pos` before and after on the token it pushes (token.meta["lw"], offsets into
the inline content). Pending text gets its start recorded as it accumulates, so text tokens
(where bare URLs are found) are positioned too. Scheme validation is off so that
`javascript:` and friends are still extracted and can be flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isStrSpace
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

# linkify-it looks its big patterns up by their text in the re module's cache, and Python
# 3.11's cache drops the entry it made first once 512 are held, however often it is used.
# The app uses about 500 patterns, so new ones kept pushing out linkify-it's and each came
# back as a 15 ms compile inside an analysis. A cache that holds them all ends that.
_RE_CACHE = 4096
if isinstance(getattr(re, "_MAXCACHE", None), int) and re._MAXCACHE < _RE_CACHE:
    re._MAXCACHE = _RE_CACHE

_PLAIN_DEST = re.compile(r"[^\x00-\x20\\]*")
_SCHEME_RE = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)


class _PosState(StateInline):
    """StateInline that remembers where the pending text started."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lw_pstart = 0

    def append_pending(self, text: str) -> None:
        if not self._pending_buffer and not self._pending:
            self.lw_pstart = self.pos
        self._pending_buffer.append(text)

    def pushPending(self) -> Token:  # noqa: N802 (markdown-it naming)
        start = self.lw_pstart
        token = super().pushPending()
        token.meta["lw"] = (start, start + len(token.content))
        return token


def _always_valid(url: str) -> bool:
    return True


# Characters markdown-it-py's normalizeLink (mdurl.encode) leaves as they are, and escapes
# already made ("%" + two hex digits).
_KEPT = r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*"
# http(s) URLs with a plain ASCII host name (labels of letters, digits and hyphens), an
# optional numeric port, then nothing or a path, query or fragment: mdurl splits such a URL
# into parts that join back to it, punycode leaves the host alone, and encoding keeps every
# character. The host's length is checked as mdurl does (at most 255).
_PLAIN_ABSOLUTE = re.compile(
    r"https?://((?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63})(?::[0-9]+)?(?:[/?#]" + _KEPT + ")?")
# Relative URLs: no scheme (nothing mdurl reads as one) and not "//host".
_PLAIN_RELATIVE = re.compile(r"(?![A-Za-z0-9.+-]+:)(?!//)" + _KEPT)


def normalize_link(url: str, slow: Callable[[str], str]) -> str:
    """markdown-it-py's normalizeLink, without its pure-Python URL parse and per-character
    encode for the URLs it returns unchanged (most of them). Anything else goes to `slow`,
    the stock function; a test checks the two agree."""
    m = _PLAIN_ABSOLUTE.fullmatch(url)
    if m is not None:
        if len(m.group(1)) <= 255:
            return url
    elif _PLAIN_RELATIVE.fullmatch(url) is not None:
        return url
    return slow(url)


def _annotate(state: StateInline, name: str, n: int, start: int) -> None:
    """Record source spans on the tokens one successful inline rule just pushed."""
    tokens = state.tokens
    end = state.pos
    first = True
    cur = start
    cumulative = name == "emphasis" or name == "strikethrough"
    for k in range(n, len(tokens)):
        tok = tokens[k]
        meta = tok.meta
        if "lw" in meta:
            continue
        if cumulative and tok.type == "text":
            meta["lw"] = (cur, cur + len(tok.content))
            cur += len(tok.content)
        elif first:
            first = False
            if name == "linkify":
                # The scheme was the tail of the pending text, which started at lw_pstart.
                m = _SCHEME_RE.search(state.src[state.lw_pstart : start])
                proto = len(m.group(1)) if m else 0
                meta["lw"] = (start - proto, end)
            else:
                meta["lw"] = (start, end)
                if name == "link" or name == "image":
                    _describe_link(state, tok, start, end, name == "image")
        else:
            meta["lw"] = None  # inner tokens (link_close, autolink text): no own span


def _make_tokenize(md: MarkdownIt) -> Callable[[StateInline], None]:
    """markdown-it-py's inline tokenize loop, plus span recording after each success."""
    ruler = md.inline.ruler
    rules = [(r.name, r.fn) for r in ruler.__rules__ if r.enabled]
    max_nesting = md.options["maxNesting"]

    def tokenize(state: StateInline) -> None:
        end = state.posMax
        src = state.src
        tokens = state.tokens
        if tokens:
            last = tokens[-1]
            if last.type == "link_open" and "lw_label" not in last.meta:
                # Called by the link rule for the label it just opened: it narrowed
                # pos/posMax to the label first.
                last.meta["lw_label"] = (state.pos, end)
        while state.pos < end:
            pos = state.pos
            ok = False
            if state.level < max_nesting:
                for name, fn in rules:
                    n = len(tokens)
                    ok = fn(state, False)
                    if ok:
                        if state.pos <= pos:
                            raise RuntimeError("inline rule didn't increment state.pos")
                        if len(tokens) > n:
                            _annotate(state, name, n, pos)
                        break
            if ok:
                if state.pos >= end:
                    break
                continue
            state.append_pending(src[state.pos])
            state.pos += 1
        if state.pending:
            state.pushPending()

    return tokenize


def _describe_link(state: StateInline, tok: Token, start: int, end: int, image: bool) -> None:
    """Record label, destination and reference style of a link/image just parsed."""
    src = state.src
    helpers = state.md.helpers
    label = tok.meta.get("lw_label")
    if label is not None and label[0] == start + 1:
        label_start, label_end = label  # recorded when link_open was pushed
    else:
        old_pos, old_max = state.pos, state.posMax
        state.posMax = end
        if image:
            label_start = start + 2
            label_end = helpers.parseLinkLabel(state, start + 1, False)
        else:
            label_start = start + 1
            label_end = helpers.parseLinkLabel(state, start, True)
        state.pos, state.posMax = old_pos, old_max
        tok.meta["lw_label"] = (label_start, label_end)
    after = label_end + 1
    if end > after and src[after] == "(":
        pos = after + 1
        while pos < end and (isStrSpace(src[pos]) or src[pos] == "\n"):
            pos += 1
        m = _PLAIN_DEST.match(src, pos, end - 1)
        if m is not None and src[pos] != "<" and (m.end() == end - 1 or src[m.end()] in " \t\n"):
            dest_end = m.end()  # no escapes or control characters: ends at space or ")"
        else:
            res = helpers.parseLinkDestination(src, pos, end)
            dest_end = res.pos if res.ok else pos
        if dest_end > pos and src[pos] == "<":
            tok.meta["lw_dest"] = (pos + 1, dest_end - 1)
        else:
            tok.meta["lw_dest"] = (pos, dest_end)
        tok.meta["lw_ref"] = None
    elif end == after:
        tok.meta["lw_ref"] = ("shortcut", src[label_start:label_end])
    elif src[after : end] == "[]":
        tok.meta["lw_ref"] = ("collapsed", src[label_start:label_end])
    else:
        tok.meta["lw_ref"] = ("full", src[after + 1 : end - 1])


def _fragments_join_wrapper(fn: Callable[[StateInline], None]) -> Callable:
    """Keep the start position of a run of text tokens that fragments_join merges."""

    def rule(state: StateInline) -> None:
        tokens = state.tokens
        src = state.src
        i = 0
        n = len(tokens)
        while i < n:
            if tokens[i].type == "text" and i + 1 < n and tokens[i + 1].type == "text":
                j = i
                while j + 1 < n and tokens[j + 1].type == "text":
                    j += 1
                run = tokens[i : j + 1]
                spans = [t.meta.get("lw") for t in run if t.content]
                merged = None
                if spans and None not in spans:
                    merged = (spans[0][0], spans[-1][1])
                    if src[merged[0] : merged[1]] != "".join(t.content for t in run):
                        merged = None
                tokens[j].meta["lw"] = merged
                i = j + 1
            else:
                i += 1
        fn(state)

    return rule


def _wrap_reference(fn: Callable) -> Callable:
    """Remember the absolute start of each line of a reference definition."""

    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        n = len(state.tokens)
        ok = fn(state, start_line, end_line, silent)
        if ok and not silent and len(state.tokens) > n:
            tok = state.tokens[-1]
            tok.meta["lw_lines"] = [
                (state.bMarks[ln] + state.tShift[ln], state.eMarks[ln])
                for ln in range(start_line, state.line)
            ]
        return ok

    return rule


def _make_inline_rule(may_hold_bare_url: Callable[[str], bool]) -> Callable[[StateCore], None]:
    """Parse inline content only where a link can be: headings always (their text is needed),
    other blocks only if they hold "[", "<" or a bare-URL candidate. Skipped tokens keep
    children == [] and meta["lw_skipped"]."""

    def inline(state: StateCore) -> None:
        md = state.md
        env = state.env
        tokens = state.tokens
        before = env.get("lw_before_inline")
        for i, token in enumerate(tokens):
            if token.type != "inline":
                continue
            if "lw_cache" in token.meta:
                continue  # result known from an earlier parse of the same block
            if before is not None:
                before(i)
            if token.children is None:
                token.children = []
            content = token.content
            if (
                "[" in content
                or "<" in content
                or (i and tokens[i - 1].type == "heading_open")
                or may_hold_bare_url(content)
            ):
                md.inline.parse(content, md, env, token.children)
            else:
                token.meta["lw_skipped"] = True

    return inline


def build_parser(linkify_rule: Callable[[StateCore], None],
                 may_hold_bare_url: Callable[[str], bool]) -> MarkdownIt:
    """The GFM-like parser used for extraction (never for rendering)."""
    md = MarkdownIt("gfm-like")
    md.validateLink = _always_valid  # type: ignore[method-assign]
    stock_normalize = md.normalizeLink
    md.normalizeLink = lambda url: normalize_link(url, stock_normalize)  # type: ignore
    # The text of every bare URL and autolink goes through mdurl's pure-Python decode (30 µs);
    # the same URLs come back each time a paragraph is parsed again.
    md.normalizeLinkText = lru_cache(maxsize=4096)(md.normalizeLinkText)  # type: ignore
    md.options["inline_definitions"] = True
    for rule in list(md.inline.ruler2.__rules__):
        if rule.name == "fragments_join":
            md.inline.ruler2.at(rule.name, _fragments_join_wrapper(rule.fn))
    for rule in list(md.block.ruler.__rules__):
        if rule.name == "reference":
            md.block.ruler.at(rule.name, _wrap_reference(rule.fn))
    md.core.ruler.at("linkify", linkify_rule)
    md.core.ruler.at("inline", _make_inline_rule(may_hold_bare_url))
    md.core.ruler.disable("text_join")

    inline = md.inline
    inline.tokenize = _make_tokenize(md)  # type: ignore[method-assign]

    def parse(src: str, md_: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _PosState(src, md_, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]
    return md
