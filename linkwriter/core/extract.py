"""Link extraction: Markdown text -> Post with every link at its exact source position.

Parsing is markdown-it-py's GFM-like flavour (see :mod:`linkwriter.core.mdparser` for how
inline tokens get positions); this module walks the tokens and builds the data model.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from linkwriter.core.bareurl import linkify_core
from linkwriter.core.frontmatter import split_front_matter
from linkwriter.core.htmllinks import IGNORE_RE, html_links, ignore_rules
from linkwriter.core.mdparser import build_parser
from linkwriter.core.model import Link, LinkContext, LinkKind
from linkwriter.core.post import Heading, IgnoreMarker, Post, RefDefinition
from linkwriter.core.srcmap import BodyMap, ContentMap

__all__ = ["parse_post", "split_front_matter", "parser"]

_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_MAX_SENTENCE = 1200  # characters of context kept around a link in a run-on sentence
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_HTML_A_OPEN = re.compile(r"^<a[\s>/]", re.IGNORECASE)
_HTML_A_CLOSE = re.compile(r"^</a\s*>", re.IGNORECASE)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return build_parser(linkify_core)


@dataclass(slots=True)
class _Raw:
    """A link before positions are mapped to the original text (body offsets)."""

    kind: LinkKind
    href: str
    text: str
    title: str | None
    start: int
    end: int
    dest: tuple[int, int] | None
    label: tuple[int, int]
    is_image: bool = False
    ref_style: str | None = None
    ref_label: str | None = None
    sentence: str = ""
    paragraph: str = ""
    sentence_span: tuple[int, int] = (-1, -1)


@dataclass(slots=True)
class _Walk:
    body: BodyMap
    raws: list[_Raw] = field(default_factory=list)
    defs: list[dict[str, Any]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    markers: list[tuple[tuple[str, ...], int, int]] = field(default_factory=list)
    words: int = 0


def parse_post(text: str) -> Post:
    """Parse a post; every Link's offsets index into `text` exactly as given."""
    front_matter, body_start = split_front_matter(text)
    body = BodyMap(text, body_start)
    env: dict[str, Any] = {}
    tokens = parser().parse(body.nsrc, env)
    walk = _Walk(body)
    _walk_blocks(walk, tokens)
    return _build_post(text, front_matter, body_start, walk)


def _walk_blocks(walk: _Walk, tokens: list[Token]) -> None:
    body = walk.body
    cell_cursor: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        ttype = tok.type
        if ttype == "inline" and tok.map is not None:
            prev = tokens[i - 1].type if i else ""
            if prev == "heading_open":
                kind = "heading" if tokens[i - 1].markup.startswith("#") else "para"
            elif prev in ("td_open", "th_open"):
                kind = "cell"
            else:
                kind = "para"
            n_lines = tok.map[1] - tok.map[0]
            if prev == "heading_open" and kind == "para":
                n_lines -= 1  # setext underline
            cmap = ContentMap(body, tok.content, tok.map[0], kind, cell_cursor, n_lines)
            plain = _walk_inline(walk, tok, cmap)
            if prev == "heading_open":
                level = int(tokens[i - 1].tag[1])
                start = body.to_orig(body.nstarts[tok.map[0]])
                line_end = tok.map[1] - 1
                end_n = body.nstarts[line_end] + len(body.line_text(line_end))
                first_line = body.line_text(tok.map[0])
                start += len(first_line) - len(first_line.lstrip())
                walk.headings.append(Heading(level, " ".join(plain.split()), start,
                                             body.to_orig(end_n), body.line_col(start)[0]))
        elif ttype == "definition":
            _definition(walk, tok)
        elif ttype == "html_block" and tok.map is not None:
            cmap = ContentMap(body, tok.content.rstrip("\n"), tok.map[0], "html")
            _html_fragment(walk, tok.content, cmap, 0)


def _html_fragment(walk: _Walk, content: str, cmap: ContentMap, offset: int) -> None:
    for hl in html_links(content):
        walk.raws.append(_Raw(
            kind=LinkKind.HTML, href=hl.href, text=hl.text, title=None,
            start=cmap.to_body(offset + hl.start), end=cmap.end_to_body(offset + hl.end),
            dest=(cmap.to_body(offset + hl.dest_start),
                  cmap.end_to_body(offset + hl.dest_end) if hl.dest_end > hl.dest_start
                  else cmap.to_body(offset + hl.dest_start)),
            label=(cmap.to_body(offset + hl.label_start),
                   cmap.end_to_body(offset + hl.label_end) if hl.label_end > hl.label_start
                   else cmap.to_body(offset + hl.label_start)),
            is_image=hl.tag == "img",
        ))
    if "linkwriter-ignore" in content:
        for m in IGNORE_RE.finditer(content):
            walk.markers.append((ignore_rules(m.group(1)), cmap.to_body(offset + m.start()),
                                 cmap.end_to_body(offset + m.end())))


def _span(cmap: ContentMap, a: int, b: int) -> tuple[int, int]:
    return (cmap.to_body(a), cmap.end_to_body(b) if b > a else cmap.to_body(a))


def _walk_inline(walk: _Walk, tok: Token, cmap: ContentMap) -> str:
    """Collect links of one inline token; returns its plain text."""
    src = tok.content
    children = tok.children or []
    pieces: list[str] = []
    # (plain offset, content offset, verbatim) anchors for sentence offsets
    anchors: list[tuple[int, int, int, bool]] = []
    plain_len = 0
    open_links: list[tuple[_Raw, int]] = []
    html_open: list[tuple[_Raw, int]] = []
    protected: list[tuple[int, int]] = []  # plain-text ranges of anchor texts
    new_raws: list[tuple[_Raw, int]] = []  # raw, plain offset of its anchor text start
    word_parts: list[str] = []
    bare_level = 0

    def add(text: str, span: tuple[int, int] | None, verbatim: bool, words: bool) -> None:
        nonlocal plain_len
        if span is not None:
            anchors.append((plain_len, span[0], span[1], verbatim))
        pieces.append(text)
        plain_len += len(text)
        if words:
            word_parts.append(text)

    for child in children:
        ctype = child.type
        span = child.meta.get("lw")
        if ctype == "text":
            verbatim = span is not None and span[1] - span[0] == len(child.content)
            add(child.content, span, verbatim, bare_level == 0)
        elif ctype == "text_special":
            add(child.content, span, False, True)
        elif ctype == "code_inline":
            add(child.content, span, False, False)
        elif ctype in ("softbreak", "hardbreak"):
            add(" ", span, False, False)
        elif ctype == "link_open" and span is not None:
            raw = _link_raw(walk, child, src, span, cmap)
            add("", span, False, False)
            open_links.append((raw, plain_len, len(pieces)))
            new_raws.append((raw, plain_len))
            if raw.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
                bare_level += 1
        elif ctype == "link_close":
            if open_links:
                raw, p0, k = open_links.pop()
                protected.append((p0, plain_len))
                if raw.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
                    bare_level -= 1
                else:  # join only this link's pieces: joining all of them is quadratic
                    raw.text = " ".join("".join(pieces[k:]).split())
        elif ctype == "image" and span is not None:
            raw = _link_raw(walk, child, src, span, cmap)
            raw.text = " ".join(_plain(child.children or []).split())
            add("", span, False, False)
            new_raws.append((raw, plain_len))
            protected.append((plain_len, plain_len + len(raw.text)))
            add(raw.text, span, False, True)
        elif ctype == "html_inline" and span is not None:
            content = child.content
            if _HTML_A_OPEN.match(content) or content[:4].lower() == "<img":
                before = len(walk.raws)
                _html_fragment(walk, content, cmap, span[0])
                for raw in walk.raws[before:]:
                    new_raws.append((raw, plain_len))
                    if not raw.is_image:
                        html_open.append((raw, plain_len, len(pieces)))
                del walk.raws[before:]
            elif _HTML_A_CLOSE.match(content) and html_open:
                raw, p0, k = html_open.pop()
                protected.append((p0, plain_len))
                raw.text = " ".join("".join(pieces[k:]).split())
                raw.label = (raw.label[0], cmap.to_body(span[0]))
            elif "linkwriter-ignore" in content:
                _html_fragment(walk, content, cmap, span[0])
    plain = "".join(pieces)
    walk.words += sum(len(_WORD.findall(p)) for p in word_parts)
    if new_raws:
        paragraph = " ".join(plain.split())
        bounds = _sentences(plain, protected)
        starts = [a for a, _ in bounds]
        keys = [a[0] for a in anchors]
        content_len = len(src.rstrip())
        sentences: dict[tuple[int, int], str] = {}
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        chosen = []
        for raw, p0 in new_raws:
            i = max(0, bisect_right(starts, p0) - 1)
            s0, s1 = bounds[i] if bounds else (0, len(plain))
            if p0 == s0 and i > 0 and bounds[i - 1][1] == p0:
                s0, s1 = bounds[i - 1]
            if s1 - s0 > _MAX_SENTENCE:  # a run-on "sentence": keep a window around the link
                s0 = max(s0, p0 - _MAX_SENTENCE // 2)
                s1 = min(s1, p0 + _MAX_SENTENCE // 2)
            chosen.append((s0, s1))
            lo, hi = spans.get((s0, s1), (raw.start, raw.end))
            spans[(s0, s1)] = (min(lo, raw.start), max(hi, raw.end))
        for (raw, _p0), (s0, s1) in zip(new_raws, chosen, strict=True):
            if (s0, s1) not in sentences:
                sentences[(s0, s1)] = " ".join(plain[s0:s1].split())
            lo, hi = spans[(s0, s1)]
            raw.paragraph = paragraph
            raw.sentence = sentences[(s0, s1)]
            start = _plain_to_body(anchors, keys, cmap, s0, False, len(plain), content_len)
            end = _plain_to_body(anchors, keys, cmap, s1, True, len(plain), content_len)
            raw.sentence_span = (min(start, lo), max(end, hi))
            walk.raws.append(raw)
    return plain


def _sentences(plain: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph's plain text; never split inside anchor text."""
    out: list[tuple[int, int]] = []
    start = 0
    spans = sorted(protected)
    span_starts = [a for a, _ in spans]
    for m in _SENTENCE_END.finditer(plain):
        j = bisect_left(span_starts, m.end()) - 1  # the last span starting before this end
        if j >= 0 and m.end() <= max(b for _, b in spans[max(0, j - 3) : j + 1]):
            continue
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(plain)))
    trimmed = []
    for a, b in out:
        while a < b and plain[a].isspace():
            a += 1
        while b > a and plain[b - 1].isspace():
            b -= 1
        trimmed.append((a, b))
    return trimmed


def _plain_to_body(anchors: list[tuple[int, int, int, bool]], keys: list[int], cmap: ContentMap,
                   p: int, end: bool, plain_len: int, content_len: int) -> int:
    """Map a plain-text offset of a paragraph back to a body offset (best effort)."""
    if end and p >= plain_len:
        return cmap.end_to_body(content_len)
    if not end and p <= 0:
        return cmap.to_body(0)
    if not end:
        i = bisect_left(keys, p)
        if i < len(anchors) and anchors[i][0] == p:
            return cmap.to_body(anchors[i][1])
    i = bisect_left(keys, p) - 1
    if i < 0:
        return cmap.to_body(0)
    plain0, c0, c1, verbatim = anchors[i]
    if verbatim:
        off = min(c0 + (p - plain0), c1)
        return cmap.end_to_body(off) if end else cmap.to_body(off)
    return cmap.end_to_body(c1) if end else cmap.to_body(c0)


def _plain(children: list[Token]) -> str:
    out = []
    for c in children:
        if c.type in ("text", "text_special", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "image":
            out.append(_plain(c.children or []))
    return "".join(out)


def _link_raw(walk: _Walk, tok: Token, src: str, span: tuple[int, int],
              cmap: ContentMap) -> _Raw:
    s, e = span
    href = tok.attrs.get("src" if tok.type == "image" else "href", "")
    title = tok.attrs.get("title")
    title = str(title) if title else None
    is_image = tok.type == "image"
    if tok.markup == "linkify":
        start, end = _span(cmap, s, e)
        return _Raw(LinkKind.BARE, str(href), src[s:e], None, start, end, (start, end),
                    (start, end))
    if tok.markup == "autolink":
        start, end = _span(cmap, s, e)
        inner = _span(cmap, s + 1, e - 1)
        return _Raw(LinkKind.AUTOLINK, str(href), src[s + 1:e - 1], None, start, end, inner,
                    inner)
    start, end = _span(cmap, s, e)
    label_span = tok.meta.get("lw_label") or (s, s)
    label = _span(cmap, *label_span)
    ref = tok.meta.get("lw_ref")
    kind = LinkKind.IMAGE if is_image else LinkKind.INLINE
    if ref is None:
        dest_span = tok.meta.get("lw_dest") or (s, s)
        return _Raw(kind, str(href), "", title, start, end, _span(cmap, *dest_span), label,
                    is_image=is_image)
    return _Raw(LinkKind.IMAGE if is_image else LinkKind.REFERENCE, str(href), "", title,
                start, end, None, label, is_image=is_image, ref_style=ref[0],
                ref_label=ref[1])


def _definition(walk: _Walk, tok: Token) -> None:
    """Locate label, destination and end of a reference definition in the source."""
    lines = tok.meta.get("lw_lines")
    if not lines:
        return
    nsrc = walk.body.nsrc
    parts = []
    offsets = []  # content start -> absolute normalised start
    c = 0
    for a, b in lines:
        offsets.append((c, a))
        seg = nsrc[a:b] + "\n"
        parts.append(seg)
        c += len(seg)
    s = "".join(parts)

    def to_body(off: int) -> int:
        base = offsets[0]
        for o in offsets:
            if o[0] <= off:
                base = o
            else:
                break
        return base[1] + off - base[0]

    md = parser()
    pos = 1
    n = len(s)
    while pos < n and s[pos] != "]":
        pos += 2 if s[pos] == "\\" else 1
    label_end = pos
    pos += 2
    while pos < n and s[pos] in " \t\n":
        pos += 1
    res = md.helpers.parseLinkDestination(s, pos, n)
    dest_end = res.pos if res.ok else pos
    dest = (pos + 1, dest_end - 1) if dest_end > pos and s[pos] == "<" else (pos, dest_end)
    end = dest_end
    title = tok.meta.get("title") or None
    if title:
        p = dest_end
        while p < n and s[p] in " \t\n":
            p += 1
        tres = md.helpers.parseLinkTitle(s, p, n, None)
        if tres.ok:
            end = tres.pos
    walk.defs.append({
        "label": s[1:label_end],
        "norm": tok.meta.get("id") or normalizeReference(s[1:label_end]),
        "href": tok.meta.get("url", ""),
        "title": title,
        "start": to_body(0),
        "end": to_body(end - 1) + 1 if end > 0 else to_body(0),
        "dest": (to_body(dest[0]), to_body(dest[1] - 1) + 1 if dest[1] > dest[0]
                 else to_body(dest[0])),
    })


def _build_post(text: str, front_matter: dict[str, str], body_start: int,
                walk: _Walk) -> Post:
    body = walk.body
    to_orig = body.to_orig
    raws = sorted(walk.raws, key=lambda r: (r.start, -r.end))
    title = front_matter.get("title", "")
    if not title:
        title = next((h.text for h in walk.headings if h.level == 1), "")
    first_def: dict[str, dict[str, Any]] = {}
    for d in walk.defs:
        first_def.setdefault(d["norm"], d)
    used: set[str] = set()
    links: list[Link] = []
    heading_starts = [h.start for h in walk.headings]
    for r in raws:
        start, end = to_orig(r.start), to_orig(r.end)
        def_start = def_end = None
        if r.ref_style is not None:
            norm = normalizeReference(r.ref_label or "")
            d = first_def.get(norm)
            used.add(norm)
            if d is not None:
                def_start, def_end = to_orig(d["start"]), to_orig(d["end"])
                dest = d["dest"]
            else:
                dest = (r.start, r.start)
        else:
            dest = r.dest or (r.start, r.start)
        dest_start, dest_end = to_orig(dest[0]), to_orig(dest[1])
        h = bisect_right(heading_starts, start) - 1
        line, col = body.line_col(start)
        sent = r.sentence_span
        links.append(Link(
            kind=r.kind, url=text[dest_start:dest_end], href=r.href, text=r.text,
            title=r.title, start=start, end=end, dest_start=dest_start, dest_end=dest_end,
            label_start=to_orig(r.label[0]), label_end=to_orig(r.label[1]), line=line,
            column=col,
            context=LinkContext(
                sentence=r.sentence, paragraph=r.paragraph,
                heading=walk.headings[h].text if h >= 0 else "", title=title,
                sentence_start=to_orig(sent[0]) if sent[0] >= 0 else -1,
                sentence_end=to_orig(sent[1]) if sent[1] >= 0 else -1,
            ),
            is_image=r.is_image, ref_style=r.ref_style, ref_label=r.ref_label,
            def_start=def_start, def_end=def_end,
        ))
    definitions = []
    for d in walk.defs:
        ds, de = to_orig(d["dest"][0]), to_orig(d["dest"][1])
        start = to_orig(d["start"])
        definitions.append(RefDefinition(
            label=d["label"], url=text[ds:de], href=d["href"], title=d["title"],
            start=start, end=to_orig(d["end"]), dest_start=ds, dest_end=de,
            line=body.line_col(start)[0],
            used=d["norm"] in used and first_def.get(d["norm"]) is d,
        ))
    link_starts = [link.start for link in links]
    markers = []
    for rules, ms, me in sorted(walk.markers, key=lambda m: m[1]):
        s, e = to_orig(ms), to_orig(me)
        idx = bisect_right(link_starts, e - 1)
        markers.append(IgnoreMarker(rules, s, e, idx if idx < len(links) else None))
    return Post(text=text, links=links, definitions=definitions, headings=walk.headings,
                ignore_markers=markers, title=title, front_matter=front_matter,
                body_start=body_start, word_count=walk.words)
