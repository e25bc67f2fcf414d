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


# Every link linkify-it can find contains "//" (http:, https:, ftp:, "//" schemas), "@"
# (mailto: and fuzzy e-mail) or a dot followed by a known top-level domain (fuzzy links;
# punycode TLDs such as ".xn--p1ai" hold digits and hyphens, so any ".xn--" is a candidate).
_CANDIDATE = re.compile(r"//|@|www\.|\.xn--|\.([A-Za-z]+)|\.[^\x00-\x7f]", re.IGNORECASE)
# Characters that are both outside every link and "whitespace" to linkify-it's patterns, so
# a window cut at them is matched exactly as the whole text would be.
_SPACE = " \t\n\r\f\v"


class BareUrlScanner:
    """Finds bare URLs as linkify-it-py does, asking linkify-it-py only about candidates.

    linkify-it-py scans every text run with large Unicode-class patterns, which is slow.
    Almost all text has no link: this scanner rules those runs out with a cheap test (no
    "//", no "@" and no dot followed by a top-level domain on linkify-it's list means no
    link) and hands linkify-it-py only the whitespace-delimited words around candidates;
    links never contain whitespace, so the results are the same as for the whole text.
    """

    def __init__(self, linkify) -> None:  # noqa: ANN001 (linkify_it.LinkifyIt)
        self.linkify = linkify
        self._tld = re.compile("(?:" + linkify.re["src_tlds"] + ")", re.IGNORECASE)
        self._tld_cache: dict[str, bool] = {}

    def _is_tld(self, run: str) -> bool:
        known = self._tld_cache.get(run)
        if known is None:
            known = self._tld.fullmatch(run) is not None
            if len(self._tld_cache) < 10000:
                self._tld_cache[run] = known
        return known

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Whitespace-delimited stretches of `text` that may hold a link."""
        out: list[tuple[int, int]] = []
        last_end = -1
        for m in _CANDIDATE.finditer(text):
            run = m.group(1)
            if run is not None and not self._is_tld(run):
                continue
            at = m.start()
            if at < last_end:
                continue
            start = at
            while start > 0 and text[start - 1] not in _SPACE:
                start -= 1
            end = m.end()
            n = len(text)
            while end < n and text[end] not in _SPACE:
                end += 1
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
            last_end = end
        return out

    def may_contain(self, text: str) -> bool:
        return bool(self.windows(text))

    def find(self, text: str) -> list[tuple[int, int, str, str | None, str]]:
        """(index, last_index, url, schema, text) of each bare URL, as linkify-it reports."""
        found = []
        for start, end in self.windows(text):
            for m in self.linkify.match(text[start:end]) or ():
                found.append((start + m.index, start + m.last_index, m.url, m.schema, m.text))
        return found


_SCANNERS: dict[int, BareUrlScanner] = {}


def scanner_for(md) -> BareUrlScanner:  # noqa: ANN001
    scanner = _SCANNERS.get(id(md.linkify))
    if scanner is None:
        scanner = _SCANNERS[id(md.linkify)] = BareUrlScanner(md.linkify)
    return scanner


def linkify_core(state: StateCore) -> None:
    md = state.md
    scanner = scanner_for(md)
    for inline_token in state.tokens:
        if inline_token.type != "inline" or not inline_token.children:
            continue
        src = inline_token.content
        tokens = inline_token.children
        assert tokens is not None
        html_link_level = 0
        pretested: bool | None = None  # markdown-it's pretest of the whole content, done lazily
        replaced: dict[int, list[Token]] = {}  # spliced in once at the end: no quadratic splicing
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
            if current.type != "text":
                continue
            text = current.content
            found = scanner.find(text)
            if not found:
                continue
            if pretested is None:
                # markdown-it skips an inline block whose whole content fails linkify-it's
                # pretest (".io" followed by "<" is no fuzzy link there), whatever its text
                # tokens hold; ask only once a candidate shows up, to keep prose cheap.
                pretested = bool(md.linkify.pretest(src))
            if not pretested:
                break
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
            replaced[i] = nodes
        if replaced:
            out: list[Token] = []
            for k, tok in enumerate(tokens):
                nodes = replaced.get(k)
                if nodes is None:
                    out.append(tok)
                else:
                    out.extend(nodes)
            inline_token.children = out


def _text_start(token: Token, src: str) -> int | None:
    span = token.meta.get("lw")
    if span is not None and src[span[0] : span[1]] == token.content:
        return span[0]
    return None
