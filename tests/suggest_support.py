"""Build Posts for the suggestion tests: the real parser when it is there, else a tiny stand-in.

The stand-in understands inline links, <autolinks>, bare http(s) URLs, full/collapsed/shortcut
reference links and <a href> tags, enough for one-paragraph test sentences.
"""

from __future__ import annotations

import re

from linkwriter.core.model import Link, LinkContext, LinkKind
from linkwriter.core.post import Heading, Post

try:  # pragma: no cover - depends on what has been merged
    from linkwriter.core.extract import parse_post as _real_parse
except ImportError:  # pragma: no cover
    _real_parse = None

_INLINE = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_REF = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\](?:\[((?:[^\[\]\\]|\\.)*)\])?")
_AUTO = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_BARE = re.compile(r"(?<![<\[\"'=])\bhttps?://[^\s<>()\]]+[^\s<>()\].,;:!?'\"]")
_HTML = re.compile(r"<a\s+[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a\s*>", re.I | re.S)
_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(\S+).*$", re.M)


def make_post(text: str) -> Post:
    if _real_parse is not None:
        return _real_parse(text)
    return _fallback_parse(text)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    from linkwriter.core.suggest.sentence import _find_sentence

    return _find_sentence(text, start, end)


def _plain(md: str) -> str:
    md = re.sub(r"!?\[((?:[^\[\]\\]|\\.)*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"\[((?:[^\[\]\\]|\\.)+)\](?:\[[^\]]*\])?", r"\1", md)
    md = re.sub(r"<a\s[^>]*>(.*?)</a\s*>", r"\1", md, flags=re.S)
    md = re.sub(r"<((?:https?|mailto):[^>]+)>", r"\1", md)
    md = re.sub(r"^[ \t]*(?:[-*+]|\d+[.)]|#{1,6}|>)[ \t]+", "", md, flags=re.M)
    return " ".join(md.replace("\\", "").split())


def _fallback_parse(text: str) -> Post:
    defs = {m.group(1).lower(): (m.group(2), m.start(), m.end()) for m in _DEF.finditer(text)}
    def_spans = [(s, e) for _, s, e in defs.values()]
    headings = []
    for m in re.finditer(r"^(#{1,6})[ \t]+(.+)$", text, re.M):
        line, _ = _line_col(text, m.start())
        headings.append(Heading(len(m.group(1)), m.group(2).strip(), m.start(), m.end(), line))
    taken: list[tuple[int, int]] = []
    raw: list[tuple[LinkKind, int, int, int, int, int, int, str, str, dict]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken + def_spans)

    for m in _HTML.finditer(text):
        tag_end = text.index(">", m.start()) + 1
        raw.append(
            (
                LinkKind.HTML,
                m.start(),
                tag_end,
                m.start(1),
                m.end(1),
                m.start(2),
                m.end(2),
                m.group(1),
                m.group(2),
                {},
            )
        )
        taken.append((m.start(), m.end()))
    for m in _INLINE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        dest = m.group(3)
        ds = m.start(3) + (1 if dest.startswith("<") else 0)
        de = m.end(3) - (1 if dest.startswith("<") else 0)
        kind = LinkKind.IMAGE if m.group(1) else LinkKind.INLINE
        raw.append(
            (kind, m.start(), m.end(), ds, de, m.start(2), m.end(2), text[ds:de], m.group(2), {})
        )
        taken.append((m.start(), m.end()))
    for m in _AUTO.finditer(text):
        if free(m.start(), m.end()):
            raw.append(
                (
                    LinkKind.AUTOLINK,
                    m.start(),
                    m.end(),
                    m.start(1),
                    m.end(1),
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    m.group(1),
                    {},
                )
            )
            taken.append((m.start(), m.end()))
    for m in _REF.finditer(text):
        if not free(m.start(), m.end()):
            continue
        label = m.group(2) if m.group(2) else m.group(1)
        if label.lower() not in defs:
            continue
        style = "full" if m.group(2) else ("collapsed" if m.group(2) == "" else "shortcut")
        url, d_s, d_e = defs[label.lower()]
        ds = text.index(url, d_s)
        raw.append(
            (
                LinkKind.REFERENCE,
                m.start(),
                m.end(),
                ds,
                ds + len(url),
                m.start(1),
                m.end(1),
                url,
                m.group(1),
                {"ref_style": style, "ref_label": label, "def_start": d_s, "def_end": d_e},
            )
        )
        taken.append((m.start(), m.end()))
    for m in _BARE.finditer(text):
        if free(m.start(), m.end()):
            raw.append(
                (
                    LinkKind.BARE,
                    m.start(),
                    m.end(),
                    m.start(),
                    m.end(),
                    m.start(),
                    m.end(),
                    m.group(0),
                    m.group(0),
                    {},
                )
            )
            taken.append((m.start(), m.end()))
    raw.sort(key=lambda r: r[1])
    links = []
    title = headings[0].text if headings and headings[0].level == 1 else ""
    for kind, s, e, ds, de, ls, le, url, label, extra in raw:
        seg_end = e
        if kind is LinkKind.HTML:
            seg_end = text.index(">", text.lower().index("</a", le)) + 1
        ss, se = _sentence(text, s, seg_end)
        para_s = text.rfind("\n\n", 0, s)
        para_s = 0 if para_s == -1 else para_s + 2
        para_e = text.find("\n\n", e)
        para_e = len(text) if para_e == -1 else para_e
        heading = ""
        for h in headings:
            if h.start < s:
                heading = h.text
        ctx = LinkContext(
            sentence=_plain(text[ss:se]),
            paragraph=_plain(text[para_s:para_e]),
            heading=heading,
            title=title,
            sentence_start=ss,
            sentence_end=se,
        )
        line, col = _line_col(text, s)
        links.append(
            Link(
                kind=kind,
                url=url,
                href=url,
                text=_plain(label) if kind not in (LinkKind.BARE, LinkKind.AUTOLINK) else url,
                title=None,
                start=s,
                end=e,
                dest_start=ds,
                dest_end=de,
                label_start=ls,
                label_end=le,
                line=line,
                column=col,
                context=ctx,
                is_image=kind is LinkKind.IMAGE,
                **extra,
            )
        )
    return Post(
        text=text, links=links, headings=headings, title=title, word_count=len(_plain(text).split())
    )
