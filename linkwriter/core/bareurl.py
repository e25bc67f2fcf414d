"""Bare URLs (GFM autolinks) in text, found where markdown-it-py's linkify would find them.

This core rule mirrors markdown-it-py's own linkify step (same skipping of link contents,
same escape guard, same tokens) but records where each URL sits in the inline content
(token.meta["lw"]), which the stock rule cannot.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import isLinkClose, isLinkOpen
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

_HTTP_RE = re.compile(r"^http://")
_MAILTO_RE = re.compile(r"^mailto:")
_MAILTO_TEST = re.compile(r"^mailto:", re.IGNORECASE)


def find_bare_urls(md, text: str) -> list:
    """(index, last_index, url, schema) for each bare URL in one text token's content."""
    matches = md.linkify.match(text) or []
    return [(m.index, m.last_index, m.url, m.schema, m.text) for m in matches]


def linkify_core(state: StateCore) -> None:
    md = state.md
    lf = md.linkify
    for inline_token in state.tokens:
        if inline_token.type != "inline" or not lf.pretest(inline_token.content):
            continue
        src = inline_token.content
        tokens = inline_token.children
        assert tokens is not None
        html_link_level = 0
        i = len(tokens)
        while i >= 1:
            i -= 1
            current = tokens[i]
            if current.type == "link_close":
                i -= 1
                while tokens[i].level != current.level and tokens[i].type != "link_open":
                    i -= 1
                continue
            if current.type == "html_inline":
                if isLinkOpen(current.content) and html_link_level > 0:
                    html_link_level -= 1
                if isLinkClose(current.content):
                    html_link_level += 1
            if html_link_level > 0:
                continue
            if current.type != "text" or not lf.test(current.content):
                continue
            text = current.content
            found = find_bare_urls(md, text)
            if found and found[0][0] == 0 and i > 0 and tokens[i - 1].type == "text_special":
                found = found[1:]
            base = _text_start(current, src)
            nodes: list[Token] = []
            level = current.level
            last = 0
            for index, last_index, url, schema, url_text in found:
                full = md.normalizeLink(url)
                if not md.validateLink(full):
                    continue
                if not schema:
                    url_text = _HTTP_RE.sub("", md.normalizeLinkText("http://" + url_text))
                elif schema == "mailto:" and _MAILTO_TEST.search(url_text):
                    url_text = _MAILTO_RE.sub("", md.normalizeLinkText("mailto:" + url_text))
                else:
                    url_text = md.normalizeLinkText(url_text)
                if index > last:
                    tok = Token("text", "", 0)
                    tok.content = text[last:index]
                    tok.level = level
                    tok.meta["lw"] = None if base is None else (base + last, base + index)
                    nodes.append(tok)
                tok = Token("link_open", "a", 1)
                tok.attrs = {"href": full}
                tok.level = level
                level += 1
                tok.markup = "linkify"
                tok.info = "auto"
                tok.meta["lw"] = None if base is None else (base + index, base + last_index)
                nodes.append(tok)
                tok = Token("text", "", 0)
                tok.content = url_text
                tok.level = level
                tok.meta["lw"] = None
                nodes.append(tok)
                tok = Token("link_close", "a", -1)
                level -= 1
                tok.level = level
                tok.markup = "linkify"
                tok.info = "auto"
                nodes.append(tok)
                last = last_index
            if not nodes:
                continue
            if last < len(text):
                tok = Token("text", "", 0)
                tok.content = text[last:]
                tok.level = level
                tok.meta["lw"] = None if base is None else (base + last, base + len(text))
                nodes.append(tok)
            tokens[i : i + 1] = nodes


def _text_start(token: Token, src: str) -> int | None:
    span = token.meta.get("lw")
    if span is not None and src[span[0] : span[1]] == token.content:
        return span[0]
    return None
