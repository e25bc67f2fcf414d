"""Invariants every parse_post result must satisfy (shared by example and property tests)."""

from __future__ import annotations

from extract_oracle import rendered_hrefs

from linkwriter.core.extract import parse_post, split_front_matter
from linkwriter.core.model import LinkKind
from linkwriter.core.post import Post
from linkwriter.core.srcmap import line_starts


def check_post(text: str) -> Post:
    post = parse_post(text)
    _, body_start = split_front_matter(text)
    assert post.body_start == body_start
    expected = rendered_hrefs(text[body_start:])
    got = [link.href for link in post.links]
    assert got == expected, f"hrefs differ for {text!r}"
    starts = line_starts(text)
    for index, link in enumerate(post.links):
        construct = text[link.start : link.end]
        assert body_start <= link.start < link.end <= len(text)
        assert text[link.dest_start : link.dest_end] == link.url
        assert link.label_start <= link.label_end
        line_start = starts[link.line - 1]
        assert line_start <= link.start
        assert link.line == len(starts) or link.start < starts[link.line]
        assert link.column == link.start - line_start + 1
        if link.kind is LinkKind.INLINE:
            assert construct.startswith("[") and construct.endswith(")"), construct
            assert link.start < link.label_start <= link.label_end < link.dest_start
            assert link.dest_end < link.end
        elif link.kind is LinkKind.IMAGE:
            assert construct.startswith("!["), construct
        elif link.kind is LinkKind.REFERENCE:
            assert construct.startswith("[") and construct.endswith("]"), construct
            assert link.ref_style in ("full", "collapsed", "shortcut")
            assert link.def_start is not None and link.def_end is not None
            assert link.def_start <= link.dest_start <= link.dest_end <= link.def_end
        elif link.kind is LinkKind.AUTOLINK:
            assert construct == "<" + link.url + ">"
        elif link.kind is LinkKind.BARE:
            assert construct == link.url
        elif link.kind is LinkKind.HTML:
            assert construct.startswith("<") and construct.endswith(">"), construct
            assert link.start < link.dest_start <= link.dest_end < link.end
        single_line = "\n" not in construct and "\r" not in construct
        standalone = link.kind in (LinkKind.INLINE, LinkKind.AUTOLINK) or (
            link.kind is LinkKind.IMAGE and link.ref_style is None)
        if single_line and standalone and index < 60:
            # The construct on its own is the same link.
            alone = rendered_hrefs(construct)
            assert alone and alone[0] == link.href, (construct, alone, link.href)
        ctx = link.context
        if ctx.sentence_start >= 0:
            assert ctx.sentence_start <= link.start and link.end <= ctx.sentence_end or \
                link.kind is LinkKind.HTML
    for d in post.definitions:
        assert text[d.dest_start : d.dest_end] == d.url
        assert text[d.start] == "["
        assert d.start < d.dest_start <= d.dest_end <= d.end
    return post
