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
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isStrSpace
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

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


def _wrap_inline(fn: Callable[[StateInline, bool], bool], name: str) -> Callable:
    cumulative = name in ("emphasis", "strikethrough")

    def rule(state: StateInline, silent: bool) -> bool:
        if silent:
            return fn(state, silent)
        start = state.pos
        n = len(state.tokens)
        proto = 0
        if name == "linkify" and state.src.startswith("://", start):
            m = _SCHEME_RE.search(state.pending)
            proto = len(m.group(1)) if m else 0
        if not fn(state, silent):
            return False
        end = state.pos
        first = True
        cur = start
        for tok in state.tokens[n:]:
            meta = tok.meta
            if "lw" in meta:
                continue
            if cumulative and tok.type == "text":
                meta["lw"] = (cur, cur + len(tok.content))
                cur += len(tok.content)
            elif first:
                first = False
                if name == "linkify":
                    meta["lw"] = (start - proto, end)
                else:
                    meta["lw"] = (start, end)
                    if name in ("link", "image"):
                        _describe_link(state, tok, start, end, name == "image")
            else:
                meta["lw"] = None  # inner tokens (link_close, autolink text): no own span
        return True

    return rule


def _describe_link(state: StateInline, tok: Token, start: int, end: int, image: bool) -> None:
    """Record label, destination and reference style of a link/image just parsed."""
    src = state.src
    helpers = state.md.helpers
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


def build_parser(linkify_rule: Callable[[StateCore], None]) -> MarkdownIt:
    """The GFM-like parser used for extraction (never for rendering)."""
    md = MarkdownIt("gfm-like")
    md.validateLink = _always_valid  # type: ignore[method-assign]
    md.options["inline_definitions"] = True
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _wrap_inline(rule.fn, rule.name))
    for rule in list(md.inline.ruler2.__rules__):
        if rule.name == "fragments_join":
            md.inline.ruler2.at(rule.name, _fragments_join_wrapper(rule.fn))
    for rule in list(md.block.ruler.__rules__):
        if rule.name == "reference":
            md.block.ruler.at(rule.name, _wrap_reference(rule.fn))
    md.core.ruler.at("linkify", linkify_rule)
    md.core.ruler.disable("text_join")

    inline = md.inline

    def parse(src: str, md_: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        state = _PosState(src, md_, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]
    return md
