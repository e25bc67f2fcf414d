"""Link extraction: Markdown text -> Post with every link at its exact source position.

Parsing is markdown-it-py's GFM-like flavour (see :mod:`linkwriter.core.mdparser` for how
inline tokens get positions); this module walks the tokens and builds the data model.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from linkwriter.core.bareurl import BareUrlScanner, linkify_core
from linkwriter.core.cancel import checkpoint
from linkwriter.core.frontmatter import split_front_matter
from linkwriter.core.htmllinks import IGNORE_RE, html_links, ignore_rules
from linkwriter.core.mdparser import build_parser
from linkwriter.core.model import Link, LinkContext, LinkKind, slot_constructor
from linkwriter.core.post import Heading, IgnoreMarker, Post, RefDefinition
from linkwriter.core.srcmap import BodyMap, ContentMap, LineTable

__all__ = ["parse_post", "split_front_matter", "parser"]

_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_MAX_SENTENCE = 1200  # characters of context kept around a link in a run-on sentence
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_HTML_A_OPEN = re.compile(r"^<a[\s>/]", re.IGNORECASE)
_HTML_A_CLOSE = re.compile(r"^</a\s*>", re.IGNORECASE)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    scanner: list[BareUrlScanner] = []

    def may_hold_bare_url(text: str) -> bool:
        return scanner[0].may_contain(text)

    md = build_parser(linkify_core, may_hold_bare_url)
    scanner.append(BareUrlScanner(md.linkify))
    return md


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*?\1", re.S)


def _prose_words(content: str) -> int:
    """Words of an inline block that was not parsed (it holds no link)."""
    if "`" in content:
        content = _CODE_SPAN.sub(" ", content)
    return len(_WORD.findall(content))


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
    ref_norm: str = ""  # normalised reference label


@dataclass(slots=True)
class _Walk:
    """What one stretch of top-level blocks yields, in offsets of the parsed string."""

    body: LineTable
    raws: list[_Raw] = field(default_factory=list)
    defs: list[dict[str, Any]] = field(default_factory=list)
    headings: list[tuple[int, str, int, int]] = field(default_factory=list)  # level, text, s, e
    markers: list[tuple[tuple[str, ...], int, int]] = field(default_factory=list)
    words: int = 0
    lookups: set[str] = field(default_factory=set)  # reference labels the inline parse asked
    cached: list[_Cached] = field(default_factory=list)  # its inline blocks' cache entries
    cached_at: list[int] = field(default_factory=list)  # where each one's first line starts

    @property
    def has_refs(self) -> bool:
        return any(r.ref_style is not None for r in self.raws)


class _LoggedRefs(dict):
    """env["references"] that remembers which labels the inline parser looked up."""

    sink: set[str]

    def get(self, key: Any, default: Any = None) -> Any:
        self.sink.add(key)
        return super().get(key, default)


@dataclass(slots=True)
class Chunk:
    """One top-level block (with its trailing blank lines) and what it yields.

    Offsets inside `walk` are relative to the chunk's first character.
    """

    n_lines: int
    length: int  # characters of normalised text, including the final newline if any
    walk: _Walk
    made: _ChunkLinks | None = field(default=None, compare=False, repr=False)  # see build_post


def block_parse(nsrc: str) -> tuple[list[Token], dict[str, Any]]:
    md = parser()
    env: dict[str, Any] = {}
    tokens: list[Token] = []
    md.block.parse(nsrc, md, env, tokens)
    return tokens, env


# on_link(href, is_image): told of each markdown link or image as soon as its inline block is
# parsed, before the Post exists, so slow consumers (the network check) can start early.
OnLink = Callable[[str, bool], None]


def inline_parse(tokens: list[Token], refs: dict[str, Any], sinks: dict[int, set[str]],
                 on_link: OnLink | None = None) -> None:
    """Inline-parse `tokens` against the document's definitions; sinks[i] collects the
    labels looked up for token i (so edits to definitions know what to redo)."""
    md = parser()
    logged = _LoggedRefs(refs)
    logged.sink = set()
    last = [-1]
    count = [0]

    def before(i: int) -> None:
        count[0] += 1
        if not count[0] & 15:
            checkpoint()  # a big re-parse may be given up for a newer text (core.cancel)
        logged.sink = sinks[i] = set()
        if on_link is not None:
            if last[0] >= 0:
                _announce(tokens[last[0]], on_link)
            last[0] = i

    state = StateCore("", md, {"references": logged, "lw_before_inline": before})
    state.tokens = tokens
    for rule in md.core.ruler.getRules(""):
        name = getattr(rule, "__name__", "")
        if name in ("inline", "linkify_core"):
            rule(state)
            if name == "inline" and on_link is not None and last[0] >= 0:
                _announce(tokens[last[0]], on_link)
                last[0] = -1


def _announce(token: Token, on_link: OnLink) -> None:
    for child in token.children or ():
        if child.type == "link_open":
            on_link(str(child.attrs.get("href", "")), False)
        elif child.type == "image":
            on_link(str(child.attrs.get("src", "")), True)


def chunk_starts(tokens: list[Token]) -> list[int]:
    """First lines of the top-level blocks."""
    return [t.map[0] for t in tokens if t.level == 0 and t.nesting >= 0 and t.map is not None]


RefsFor = Callable[[list[tuple[str, str, str]]], dict[str, Any]]


@dataclass(slots=True)
class _Cached:
    """What one inline block yielded, relative to the start of its first line."""

    raws: list[_Raw]
    markers: list[tuple[tuple[str, ...], int, int]]
    words: int
    plain: str
    resolved: dict[str, Any]  # label -> definition it resolved to (None: undefined)
    # The same block's result under other definitions, kept so that undoing an edit to a
    # definition (a stray space in its URL) finds the earlier result instead of re-parsing.
    other: _Cached | None = None
    # The block's result with every label it resolves undefined, parsed ahead in idle time
    # (IncrementalExtractor.prepare): what an edit that ends a run of definitions asks for.
    broken: _Cached | None = None
    key: tuple[str, str, str] | None = None  # its key in the cache (None: not cached)

    @property
    def all_undefined(self) -> bool:
        return all(v is None for v in self.resolved.values())

    @property
    def prepared(self) -> bool:
        """Whether this block, with its labels undefined, is known without a parse."""
        return self.all_undefined or any(
            e is not None and e.all_undefined for e in (self.other, self.broken))

    def valid(self, refs: dict[str, Any]) -> bool:
        return all(refs.get(k) == v for k, v in self.resolved.items())

    def under(self, refs: dict[str, Any]) -> _Cached | None:
        """This result or the kept one, whichever these definitions give; else None."""
        if self.valid(refs):
            return self
        other = self.other
        if other is not None and other.valid(refs):
            return other
        broken = self.broken
        return broken if broken is not None and broken.valid(refs) else None


InlineCache = dict[tuple[str, str, str], _Cached]


def _copy_raw(r: _Raw, d: int) -> _Raw:
    return _Raw(
        r.kind, r.href, r.text, r.title, r.start + d, r.end + d,
        None if r.dest is None else (r.dest[0] + d, r.dest[1] + d),
        (r.label[0] + d, r.label[1] + d), r.is_image, r.ref_style, r.ref_label, r.sentence,
        r.paragraph,
        (r.sentence_span[0] + d, r.sentence_span[1] + d) if r.sentence_span[0] >= 0
        else r.sentence_span, r.ref_norm,
    )


@dataclass(slots=True)
class BlockParse:
    """The block-level parse of a text: where its top-level chunks start, before any inline
    parse (which is most of the cost, and which a caller may find it does not need)."""

    tokens: list[Token]
    table: LineTable
    starts: list[int]  # first line of each chunk

    @classmethod
    def of(cls, nsrc: str) -> BlockParse:
        tokens, _ = block_parse(nsrc)
        starts = chunk_starts(tokens)
        if not starts or starts[0] != 0:
            starts = [0, *starts]
        return cls(tokens, LineTable(nsrc), starts)

    def chunk_offsets(self) -> list[int]:
        """Character offset of each chunk's start."""
        nstarts = self.table.nstarts
        return [nstarts[line] for line in self.starts]


def parse_chunks(nsrc: str, refs_for: RefsFor | None = None, cache: InlineCache | None = None,
                 on_link: OnLink | None = None, blocks: BlockParse | None = None,
                 ) -> tuple[list[Chunk], list[Token], list[int]]:
    """Parse normalised text into top-level chunks.

    refs_for receives this text's definitions (normalised label, href, title, in order) and
    returns the document's definitions to resolve references against; without it this text
    is the whole document. blocks: BlockParse.of(nsrc), if the caller has it already.
    """
    if blocks is None:
        blocks = BlockParse.of(nsrc)
    tokens, table, starts = blocks.tokens, blocks.table, blocks.starts
    n_lines = len(table.nstarts)
    bounds = [*starts, n_lines]
    walks = [_Walk(table) for _ in starts]
    token_chunk: list[int] = []
    c = 0
    for t in tokens:
        if t.map is not None and t.level == 0 and t.nesting >= 0:
            while c + 1 < len(starts) and starts[c + 1] <= t.map[0]:
                c += 1
        token_chunk.append(c)
    sinks: dict[int, set[str]] = {}
    local = [(t.meta["id"], t.meta["url"], t.meta["title"]) for t in tokens
             if t.type == "definition"]
    refs = refs_for(local) if refs_for is not None else refs_from(local)
    if cache is not None:
        for i, t in enumerate(tokens):
            if t.type == "inline" and t.map is not None:
                key = _cache_key(tokens, i, table)
                if key is not None:
                    t.meta["lw_key"] = key
                    entry = cache.get(key)
                    if entry is not None:
                        entry = entry.under(refs)
                        if entry is not None:
                            t.meta["lw_cache"] = entry
    inline_parse(tokens, refs, sinks, on_link)
    _walk_blocks(walks, token_chunk, tokens, sinks, refs, cache)
    chunks = []
    for k, walk in enumerate(walks):
        a = table.nstarts[bounds[k]]
        b = table.nstarts[bounds[k + 1]] if bounds[k + 1] < n_lines else len(nsrc)
        if a:
            _shift_walk(walk, -a)
        walk.raws.sort(key=_raw_order)
        lines = bounds[k + 1] - bounds[k]
        if bounds[k + 1] == n_lines and nsrc.endswith("\n"):
            lines -= 1  # the empty "line" after a final newline belongs to what follows
        chunks.append(Chunk(lines, b - a, walk))
    return chunks, tokens, starts


def _cache_key(tokens: list[Token], i: int, table: LineTable) -> tuple[str, str, str] | None:
    prev = tokens[i - 1] if i else None
    if prev is None or prev.type in ("td_open", "th_open"):
        return None  # table cells are located with a per-row cursor: not cached
    tok = tokens[i]
    assert tok.map is not None
    a = table.nstarts[tok.map[0]]
    last = tok.map[1] - 1
    b = table.nstarts[last] + len(table.line_text(last))
    return (prev.type + prev.markup, tok.content, table.nsrc[a:b])


def _def_of(r: _Raw, b: int, first_def: dict[str, tuple[int, dict[str, Any]]],
            used: set[str], to_orig: Callable[[int], int]
            ) -> tuple[int | None, int | None, tuple[int, int]]:
    """(def_start, def_end, destination in body offsets) of a link."""
    if r.ref_style is not None:
        used.add(r.ref_norm)
        found = first_def.get(r.ref_norm)
        if found is not None:
            db, d = found
            return (to_orig(db + d["start"]), to_orig(db + d["end"]),
                    (db + d["dest"][0], db + d["dest"][1]))
        return None, None, (b + r.start, b + r.start)
    if r.dest:
        return None, None, (b + r.dest[0], b + r.dest[1])
    return None, None, (b + r.start, b + r.start)


# Made by the thousand on every keystroke: see slot_constructor. Positional, in slot order.
_new_link = slot_constructor(Link)
_new_context = slot_constructor(LinkContext)
_new_heading = slot_constructor(Heading)
assert Link.__slots__ == (
    "kind", "url", "href", "text", "title", "start", "end", "dest_start", "dest_end",
    "label_start", "label_end", "line", "column", "context", "is_image", "ref_style",
    "ref_label", "def_start", "def_end"), "calls below use this order"
assert LinkContext.__slots__ == ("sentence", "paragraph", "heading", "title",
                                 "sentence_start", "sentence_end"), "calls below use this order"
assert Heading.__slots__ == ("level", "text", "start", "end", "line"), "calls below use this order"


def _make_link(text: str, body: BodyMap, b: int, r: _Raw,
               first_def: dict[str, tuple[int, dict[str, Any]]], used: set[str],
               headings: list[Heading], heading_starts: list[int], title: str) -> Link:
    to_orig = body.to_orig
    start = to_orig(b + r.start)
    def_start, def_end, dest = _def_of(r, b, first_def, used, to_orig)
    h = bisect_right(heading_starts, start) - 1
    dest_start, dest_end = to_orig(dest[0]), to_orig(dest[1])
    line, col = body.line_col(start)
    sent = r.sentence_span
    return _new_link(
        r.kind, text[dest_start:dest_end], r.href, r.text, r.title, start, to_orig(b + r.end),
        dest_start, dest_end, to_orig(b + r.label[0]), to_orig(b + r.label[1]), line, col,
        _new_context(r.sentence, r.paragraph, headings[h].text if h >= 0 else "", title,
                     to_orig(b + sent[0]) if sent[0] >= 0 else -1,
                     to_orig(b + sent[1]) if sent[1] >= 0 else -1),
        r.is_image, r.ref_style, r.ref_label, def_start, def_end,
    )


def _moved_link(link: Link, d: int, dl: int, ctx: LinkContext) -> Link:
    """A Link moved by d characters and dl lines (shifting Links is most of an update)."""
    return _new_link(
        link.kind, link.url, link.href, link.text, link.title, link.start + d, link.end + d,
        link.dest_start + d, link.dest_end + d, link.label_start + d, link.label_end + d,
        link.line + dl, link.column, ctx, link.is_image, link.ref_style, link.ref_label,
        link.def_start, link.def_end)


def _moved_context(ctx: LinkContext, d: int) -> LinkContext:
    ss, se = ctx.sentence_start, ctx.sentence_end
    return _new_context(ctx.sentence, ctx.paragraph, ctx.heading, ctx.title,
                        ss + d if ss >= 0 else ss, se + d if se >= 0 else se)


def _moved_heading(h: Heading, d: int, dl: int) -> Heading:
    return _new_heading(h.level, h.text, h.start + d, h.end + d, h.line + dl)


def _moved_links(old: _ChunkLinks, d: int, dl: int, body: BodyMap, text: str,
                 raws: list[_Raw], first_def: dict[str, tuple[int, dict[str, Any]]],
                 used: set[str], b: int) -> list[Link]:
    """The chunk's Links again: the same objects if nothing moved, else shifted copies.

    Within an unchanged chunk every offset moves by the same amount (and every line by the
    same count); only reference links also depend on where their definition now is.
    """
    if not old.refs:
        if d == 0 and dl == 0:
            return old.links
        if d == 0:
            return [_moved_link(link, 0, dl, link.context) for link in old.links]
        return [_moved_link(link, d, dl, _moved_context(link.context, d))
                for link in old.links]
    to_orig = body.to_orig
    out = []
    for r, link in zip(raws, old.links, strict=True):
        if r.ref_style is None:
            if d == 0 and dl == 0:
                out.append(link)
                continue
            def_start = def_end = None
            dest_start, dest_end = link.dest_start + d, link.dest_end + d
            url = link.url
        else:
            def_start, def_end, dest = _def_of(r, b, first_def, used, to_orig)
            dest_start, dest_end = to_orig(dest[0]), to_orig(dest[1])
            url = text[dest_start:dest_end]
            if (d == 0 and dl == 0 and def_start == link.def_start
                    and def_end == link.def_end and dest_start == link.dest_start
                    and dest_end == link.dest_end and url == link.url):
                out.append(link)
                continue
        ctx = link.context
        if d:
            ctx = _moved_context(ctx, d)
        out.append(_new_link(
            link.kind, url, link.href, link.text, link.title, link.start + d, link.end + d,
            dest_start, dest_end, link.label_start + d, link.label_end + d, link.line + dl,
            link.column, ctx, link.is_image, link.ref_style, link.ref_label, def_start,
            def_end,
        ))
    return out


def _raw_order(r: _Raw) -> tuple[int, int]:
    return (r.start, -r.end)


def refs_from(defs: list[tuple[str, str, str]]) -> dict[str, Any]:
    """The first definition of each label wins, as in CommonMark."""
    refs: dict[str, Any] = {}
    for label, href, title in defs:
        if label not in refs:
            refs[label] = {"href": href, "title": title}
    return refs


def _shift_walk(walk: _Walk, delta: int) -> None:
    for r in walk.raws:
        r.start += delta
        r.end += delta
        if r.dest is not None:
            r.dest = (r.dest[0] + delta, r.dest[1] + delta)
        r.label = (r.label[0] + delta, r.label[1] + delta)
        if r.sentence_span[0] >= 0:
            r.sentence_span = (r.sentence_span[0] + delta, r.sentence_span[1] + delta)
    for d in walk.defs:
        d["start"] += delta
        d["end"] += delta
        d["dest"] = (d["dest"][0] + delta, d["dest"][1] + delta)
    walk.headings = [(lv, tx, s + delta, e + delta) for lv, tx, s, e in walk.headings]
    walk.markers = [(rules, s + delta, e + delta) for rules, s, e in walk.markers]
    walk.cached_at = [at + delta for at in walk.cached_at]


def parse_post(text: str, on_link: OnLink | None = None) -> Post:
    """Parse a post; every Link's offsets index into `text` exactly as given. on_link hears of
    markdown links early (a subset of the Post's links: HTML and bare URLs come only in it)."""
    front_matter, body_start = split_front_matter(text)
    body = BodyMap(text, body_start)
    chunks, _, _ = parse_chunks(body.nsrc, on_link=on_link)
    return build_post(text, front_matter, body, chunks)


def _walk_blocks(walks: list[_Walk], token_chunk: list[int], tokens: list[Token],
                 sinks: dict[int, set[str]], refs: dict[str, Any],
                 cache: InlineCache | None) -> None:
    cell_cursor: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        walk = walks[token_chunk[i]]
        body = walk.body
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
            base0 = body.nstarts[tok.map[0]]
            if cache is None:  # one-off parse: no copies
                if tok.meta.get("lw_skipped"):
                    walk.words += _prose_words(tok.content)
                    continue
                cmap = ContentMap(body, tok.content, tok.map[0], kind, cell_cursor, n_lines)
                walk.lookups.update(sinks.get(i, ()))
                plain = _walk_inline(walk, tok, cmap)
            else:
                plain = _use_cache(walk, tok, i, kind, n_lines, base0, cell_cursor, sinks,
                                   refs, cache)
            if prev == "heading_open":
                level = int(tokens[i - 1].tag[1])
                first_line = body.line_text(tok.map[0])
                start = body.nstarts[tok.map[0]] + len(first_line) - len(first_line.lstrip())
                line_end = tok.map[1] - 1
                end_n = body.nstarts[line_end] + len(body.line_text(line_end))
                walk.headings.append((level, " ".join(plain.split()), start, end_n))
        elif ttype == "definition":
            _definition(walk, tok)
        elif ttype == "html_block" and tok.map is not None:
            cmap = ContentMap(body, tok.content.rstrip("\n"), tok.map[0], "html")
            _html_fragment(walk, tok.content, cmap, 0)


def _use_cache(walk: _Walk, tok: Token, i: int, kind: str, n_lines: int, base0: int,
               cell_cursor: dict[int, int], sinks: dict[int, set[str]], refs: dict[str, Any],
               cache: InlineCache) -> str:
    """Walk one inline block through the cache of earlier results (incremental parsing)."""
    body = walk.body
    entry = tok.meta.get("lw_cache")
    if entry is None:
        if tok.meta.get("lw_skipped"):
            entry = _Cached([], [], _prose_words(tok.content), "", {})
        else:
            tmp = _Walk(body)
            assert tok.map is not None
            cmap = ContentMap(body, tok.content, tok.map[0], kind, cell_cursor, n_lines)
            plain = _walk_inline(tmp, tok, cmap)
            entry = _Cached(
                [_copy_raw(r, -base0) for r in tmp.raws],
                [(rules, s - base0, e - base0) for rules, s, e in tmp.markers],
                tmp.words, plain, {k: refs.get(k) for k in sinks.get(i, ())})
        key = tok.meta.get("lw_key")
        if key is not None:
            if len(cache) > 200_000:
                cache.clear()
            kept = cache.pop(key, None)  # stored again below: the newest last (prune_cache)
            if kept is not None and kept is not entry:
                kept.other = kept.broken = None  # one step of history: no chains, no cycles
                entry.other = kept
            entry.key = key
            cache[key] = entry
    walk.cached.append(entry)
    walk.cached_at.append(base0)
    walk.raws.extend(_copy_raw(r, base0) for r in entry.raws)
    walk.markers.extend((rules, s + base0, e + base0) for rules, s, e in entry.markers)
    walk.words += entry.words
    walk.lookups.update(entry.resolved)
    return entry.plain


def rewalk(chunk: Chunk, refs: dict[str, Any], cache: InlineCache) -> Chunk | None:
    """The chunk as these definitions make it, from the inline cache without any parse, or
    None when that cannot be done exactly (then parse it). Only for a chunk that is one
    cached inline block and nothing else: definitions do not change block structure.
    The result used becomes the cache's entry, the other its one step of history, as when
    _use_cache stores a new result: so the undo finds it the same way."""
    walk = chunk.walk
    if len(walk.cached) != 1 or walk.defs or walk.headings:
        return None
    entry = walk.cached[0]
    if entry.key is None or len(walk.raws) != len(entry.raws) \
            or len(walk.markers) != len(entry.markers):
        return None  # a table cell, or an HTML block beside it
    alt = entry.under(refs)
    if alt is None:
        return None
    if alt is entry:
        return chunk
    entry.other = entry.broken = None  # no chains, no cycles
    alt.other, alt.broken = entry, None
    key = entry.key
    if cache.get(key) is entry:
        del cache[key]
        cache[key] = alt  # the newest last (prune_cache)
    at = walk.cached_at[0]
    new = _Walk(walk.body, [_copy_raw(r, at) for r in alt.raws], [], [],
                [(rules, s + at, e + at) for rules, s, e in alt.markers], alt.words,
                set(alt.resolved), [alt], [at])
    return Chunk(chunk.n_lines, chunk.length, new)


def prune_cache(cache: InlineCache, live: list[_Cached], spare_links: int = 4000,
                spare_entries: int = 256) -> None:
    """Drop the entries no block of the document uses any more, but the newest few.

    Each edit of a block leaves the entry of its old text behind, and a block holding many
    links (a run of reference definitions one stray space turned into a paragraph: 700 bare
    URLs) leaves a big one per keystroke: on a 1 MB post the worker grew by 40 MB in 240
    keystrokes. The newest spare entries stay, so undoing recent edits still finds them.
    """
    used = {id(e) for e in live}
    spare = [k for k, e in cache.items()
             if id(e) not in used and id(e.other) not in used and id(e.broken) not in used]
    links = entries = 0
    keep = len(spare)
    while keep > 0 and entries < spare_entries:  # newest last (_use_cache re-inserts)
        size = len(cache[spare[keep - 1]].raws)
        if links + size > spare_links:
            break
        links += size
        entries += 1
        keep -= 1
    for k in spare[:keep]:
        del cache[k]


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
    open_links: list[tuple[_Raw, int, int]] = []  # raw, plain offset, index in pieces
    html_open: list[tuple[_Raw, int, int]] = []
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
                raw, p0, idx = open_links.pop()
                protected.append((p0, plain_len))
                if raw.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
                    bare_level -= 1
                else:
                    raw.text = " ".join("".join(pieces[idx:]).split())
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
                raw, p0, idx = html_open.pop()
                protected.append((p0, plain_len))
                raw.text = " ".join("".join(pieces[idx:]).split())
                raw.label = (raw.label[0], cmap.to_body(span[0]))
            elif "linkwriter-ignore" in content:
                _html_fragment(walk, content, cmap, span[0])
    plain = "".join(pieces)
    walk.words += len(_WORD.findall("".join(word_parts)))
    if new_raws:
        paragraph = " ".join(plain.split())
        bounds = _sentences(plain, protected)
        bound_starts = [a for a, _ in bounds]
        keys = [a[0] for a in anchors]
        content_end = len(src.rstrip())
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        chosen = []
        for raw, p0 in new_raws:
            i = bisect_right(bound_starts, p0) - 1
            bound = bounds[i] if i >= 0 and bounds[i][0] <= p0 <= bounds[i][1] else (0, len(plain))
            if bound[1] - bound[0] > _MAX_SENTENCE:  # run-on "sentence": a window around the link
                half = _MAX_SENTENCE // 2
                bound = (max(bound[0], p0 - half), min(bound[1], p0 + half))
            chosen.append(bound)
            lo, hi = spans.get(bound, (raw.start, raw.end))
            spans[bound] = (min(lo, raw.start), max(hi, raw.end))
        done: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
        for (raw, _p0), bound in zip(new_raws, chosen, strict=True):
            known = done.get(bound)
            if known is None:  # once per sentence: a long one may hold thousands of links
                s0, s1 = bound
                lo, hi = spans[bound]
                start = _plain_to_body(anchors, keys, cmap, s0, False, len(plain), content_end)
                end = _plain_to_body(anchors, keys, cmap, s1, True, len(plain), content_end)
                known = done[bound] = (" ".join(plain[s0:s1].split()),
                                       (min(start, lo), max(end, hi)))
            raw.paragraph = paragraph
            raw.sentence, raw.sentence_span = known
            walk.raws.append(raw)
    return plain


def _sentences(plain: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph's plain text; never split inside anchor text."""
    out: list[tuple[int, int]] = []
    start = 0
    prot = sorted(protected)
    j = 0
    reach = -1  # furthest end of the anchor texts that start before the boundary
    for m in _SENTENCE_END.finditer(plain):
        e = m.end()
        while j < len(prot) and prot[j][0] < e:
            reach = max(reach, prot[j][1])
            j += 1
        if reach >= e:
            continue
        out.append((start, e))
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
                ref_label=ref[1], ref_norm=normalizeReference(ref[1]))


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


@dataclass(slots=True)
class _ChunkLinks:
    """What build_post made from one chunk last time (kept on the chunk, incremental use)."""

    start: int  # offset in the text of the chunk's first character
    line: int  # its line
    context: tuple[str, str]  # (title, heading in force at the chunk start)
    links: list[Link]
    headings: list[Heading]
    refs: bool  # holds reference links (they depend on where definitions are)


@dataclass(slots=True)
class LinkMemo:
    """Marks build_post calls whose results the next call may reuse (incremental use).

    Each chunk keeps its own results (Chunk.made), so chunks dropped by an edit take theirs
    with them and an unchanged chunk finds its results without a lookup.

    clean = (p, q, delta): text[:p] and text[q:] are as in the last call, whose text was
    delta characters shorter. A kept chunk's results are reused only if its text as read
    lies wholly in one of those stretches (where markdown-it-py sees the same text, line
    endings may still have changed); None: reuse nothing.
    """

    clean: tuple[int, int, int] | None = None


@dataclass(slots=True)
class Layout:
    """Where each chunk starts (offset and line), which chunks yield anything, word count."""

    offsets: list[int]
    busy: list[int]
    words: int
    lines: list[int] = field(default_factory=lambda: [0])  # first line of each chunk

    @classmethod
    def of(cls, chunks: list[Chunk]) -> Layout:
        offsets = list(accumulate([c.length for c in chunks], initial=0))
        lines = list(accumulate([c.n_lines for c in chunks], initial=0))
        busy = [i for i, c in enumerate(chunks)
                if c.walk.raws or c.walk.defs or c.walk.headings or c.walk.markers]
        return cls(offsets, busy, sum(c.walk.words for c in chunks), lines)

    def spliced(self, chunks: list[Chunk], first: int, stop: int, region: list[Chunk]
                ) -> Layout:
        """The layout once chunks[first:stop] are replaced by `region`: the rest is copied
        or shifted, not recomputed chunk by chunk."""
        offsets, lines, busy = self.offsets, self.lines, self.busy
        reg = Layout.of(region)
        o0, l0 = offsets[first], lines[first]
        do = reg.offsets[-1] - (offsets[stop] - o0)
        dn = reg.lines[-1] - (lines[stop] - l0)
        shift = len(region) - (stop - first)
        k, j = bisect_left(busy, first), bisect_left(busy, stop)
        return Layout(
            offsets[:first] + [o0 + x for x in reg.offsets] + [x + do for x in offsets[stop + 1:]],
            busy[:k] + [first + i for i in reg.busy] + [i + shift for i in busy[j:]],
            self.words - sum(c.walk.words for c in chunks[first:stop]) + reg.words,
            lines[:first] + [l0 + x for x in reg.lines] + [x + dn for x in lines[stop + 1:]],
        )


def _title(front_matter: dict[str, str], chunks: list[Chunk], busy: list[int]) -> str:
    title = front_matter.get("title", "")
    if title:
        return title
    for i in busy:
        for level, text, _s, _e in chunks[i].walk.headings:
            if level == 1:
                return text
    return ""


def build_post(text: str, front_matter: dict[str, str], body: BodyMap,
               chunks: list[Chunk], memo: LinkMemo | None = None,
               layout: Layout | None = None) -> Post:
    """Assemble the Post from chunk results (chunk offsets -> offsets in `text`).

    memo (incremental use): each chunk keeps its Links and Headings from the last call; a
    chunk that did not change keeps its objects, or gets shifted copies if an edit before
    it moved it, so an edit rebuilds only what it touched. One pass over the chunks that
    yield anything, doing as little as possible for each: it runs on every keystroke.
    """
    to_orig = body.to_orig
    if layout is None:
        layout = Layout.of(chunks)
    offsets = layout.offsets
    lines = layout.lines
    ostarts = body.ostarts
    bs = body.body_start
    line0 = body.line_col(bs)[0]  # chunks start at line starts: line = line0 + chunk line
    clean = memo.clean if memo is not None else None
    p_clean, q_clean, delta = clean if clean is not None else (-1, len(text) + 1, 0)
    n_chunks = len(chunks)
    title = _title(front_matter, chunks, layout.busy)
    defs: list[tuple[int, dict[str, Any]]] = []
    for i in layout.busy:
        w = chunks[i].walk
        if w.defs:
            base = offsets[i]
            defs.extend((base, d) for d in w.defs)
    first_def: dict[str, tuple[int, dict[str, Any]]] = {}
    for bd in defs:
        first_def.setdefault(bd[1]["norm"], bd)
    markers_n: list[tuple[tuple[str, ...], int, int]] = []
    headings: list[Heading] = []
    heading_starts: list[int] = []
    used: set[str] = set()
    links: list[Link] = []
    in_force = ""  # text of the last heading so far
    for i in layout.busy:
        chunk = chunks[i]
        w = chunk.walk
        base = offsets[i]
        k = lines[i]
        c_start = bs + ostarts[k]
        c_line = line0 + k
        if w.markers:
            markers_n.extend((rules, s + base, e + base) for rules, s, e in w.markers)
        old = chunk.made if clean is not None else None
        if old is not None:
            if c_start >= q_clean:
                if c_start - old.start != delta:
                    old = None
            elif c_start != old.start or (
                    bs + ostarts[lines[i + 1]] if i + 1 < n_chunks else len(text)) > p_clean:
                old = None
        if old is not None:
            d = c_start - old.start
            dl = c_line - old.line
            if w.headings:
                if d == 0 and dl == 0:
                    headings.extend(old.headings)
                else:
                    old.headings = [_moved_heading(h, d, dl) for h in old.headings]
                    headings.extend(old.headings)
            if w.raws:
                ctx = old.context
                if ctx[0] == title and ctx[1] == in_force:
                    if d or dl or old.refs:
                        old.links = _moved_links(old, d, dl, body, text, w.raws, first_def,
                                                 used, base)
                else:
                    if len(heading_starts) < len(headings):
                        heading_starts.extend(h.start for h in headings[len(heading_starts):])
                    old.links = [_make_link(text, body, base, r, first_def, used, headings,
                                            heading_starts, title) for r in w.raws]
                    old.context = (title, in_force)
                links.extend(old.links)
            old.start = c_start
            old.line = c_line
            if w.headings:
                in_force = old.headings[-1].text
            continue
        made_h: list[Heading] = []
        for level, htext, s, e in w.headings:
            start = to_orig(s + base)
            made_h.append(_new_heading(level, htext, start, to_orig(e + base),
                                       body.line_col(start)[0]))
        headings.extend(made_h)
        made: list[Link] = []
        if w.raws:
            if len(heading_starts) < len(headings):
                heading_starts.extend(h.start for h in headings[len(heading_starts):])
            made = [_make_link(text, body, base, r, first_def, used, headings, heading_starts,
                               title) for r in w.raws]
            links.extend(made)
        if memo is not None:
            chunk.made = _ChunkLinks(c_start, c_line, (title, in_force), made, made_h,
                                     w.has_refs)
        if made_h:
            in_force = made_h[-1].text
    definitions = []
    for db, d in defs:
        ds, de = to_orig(db + d["dest"][0]), to_orig(db + d["dest"][1])
        start = to_orig(db + d["start"])
        definitions.append(RefDefinition(
            label=d["label"], url=text[ds:de], href=d["href"], title=d["title"],
            start=start, end=to_orig(db + d["end"]), dest_start=ds, dest_end=de,
            line=body.line_col(start)[0],
            used=d["norm"] in used and first_def[d["norm"]][1] is d,
        ))
    link_starts = [link.start for link in links]
    markers = []
    for rules, ms, me in sorted(markers_n, key=lambda m: m[1]):
        s, e = to_orig(ms), to_orig(me)
        idx = bisect_right(link_starts, e - 1)
        markers.append(IgnoreMarker(rules, s, e, idx if idx < len(links) else None))
    return Post(text=text, links=links, definitions=definitions, headings=headings,
                ignore_markers=markers, title=title, front_matter=front_matter,
                body_start=body.body_start, word_count=layout.words)
