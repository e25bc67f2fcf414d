"""Re-analysis of an edited post in time proportional to the edit, not to the post.

The costly providers (link rules, `no-lead-in` suggestions, relevance) judge each link from
the link itself, the paragraph it stands in and a few post-wide facts. `Reanalyzer` keeps
each link's findings keyed by exactly that: the text of its paragraph block (up to and
including the blank lines around it), the link with positions relative to the block, its
reference definition's text, its sentence and heading; and, checked on reuse, what else its
verdict read: the post-wide facts (the config, title, front matter and language; the page
fetched for it; the post vocabulary words and the post key terms it asked about), the
neighbour links `links_near` handed out, and what it read of the paragraph's plain text
(core.paragraph_reads: mostly only its language). Only what was read is checked, so a link
that vanishes from a paragraph (a reference whose definition went) does not make every other
link in the paragraph be judged again. Reused findings are re-based to the link's new
offsets and index. Post-wide rules run in full every time.

The result is the same list `analyze()` gives for the same post (tests/test_reanalysis.py
checks it after random edits); a link whose result cannot be keyed that way (a paragraph
longer than MAX_REGION, an `<a>` tag without `</a>`, a position outside its block) is simply
judged afresh.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from linkwriter.core.cancel import checkpoint
from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Fix, Link, LinkKind
from linkwriter.core.post import Post

# Characters; a longer block is judged afresh every time. Blocks are keyed by an id (see
# Reanalyzer._region_ids), so even a long one, say hundreds of reference definitions turned
# into one paragraph, costs one hash per analysis, not one per link.
MAX_REGION = 200_000
GONE_ANALYSES = 8  # how many analyses back an undo still finds its links' findings
SIG_SLACK = 64  # neighbour-set ids kept beyond a quarter more than those in use
_BLANK = re.compile(r"\n[ \t\r]*\n")
_CLOSE_A = re.compile(r"</a\s*>", re.IGNORECASE)


class _Uncacheable(Exception):
    pass


@dataclass(slots=True)
class _Frame:
    """Where a link's block (and its definition) start now, to re-base positions."""

    a: int
    b: int
    d0: int = -1
    d1: int = -1

    def code(self, pos: int) -> int:
        if self.a <= pos <= self.b:
            return pos - self.a
        if self.d0 <= pos <= self.d1 and self.d0 >= 0:
            return -(pos - self.d0) - 1
        raise _Uncacheable

    def pos(self, code: int) -> int:
        return self.a + code if code >= 0 else self.d0 - code - 1


@dataclass(slots=True)
class _Entry:
    rules: list[tuple] = field(default_factory=list)
    reason: str | None = None
    lead: dict[bool, tuple | None] = field(default_factory=dict)  # with_fixes -> finding
    probes: list[tuple[str, str, bool]] = field(default_factory=list)
    # What links_near answered: (start, end, neighbours), relative to the block's start.
    near: tuple[tuple[int, int, tuple], ...] = ()
    # The id of all the links near its block (Reanalyzer._region) when `near` last held:
    # while that is unchanged, so is every answer, and `near` need not be checked.
    sig: int = -1
    judged: bool = False  # relevance looks at this link at all
    relevance: list[tuple] = field(default_factory=list)
    page: Any = None
    post_facts: tuple | None = None  # (key terms, surfaces, post words) the verdict read
    # What the verdicts read of the link's paragraph (core.paragraph_reads): the paragraph is
    # not part of the key. `paragraph` is the one every note last held for.
    para: tuple[tuple[str, Any], ...] = ()
    paragraph: str = ""
    # The findings as last decoded, and where: reused as they are while nothing moved.
    last: tuple[int, int, int, list[Finding], list[Finding]] | None = None
    gen: int = 0  # the last analysis that kept it (Reanalyzer._gen)


def _encode(f: Finding, frame: _Frame) -> tuple:
    fixes = tuple((x.title, frame.code(x.start), frame.code(x.end), x.replacement)
                  for x in f.fixes)
    return (f.rule, f.category, f.severity, f.message, frame.code(f.start), frame.code(f.end),
            fixes, f.link_index is not None, f.data)


def _decode(t: tuple, frame: _Frame, index: int) -> Finding:
    rule, category, severity, message, start, end, fixes, linked, data = t
    pos = frame.pos
    return Finding(
        rule, category, severity, message, pos(start), pos(end),
        tuple(Fix(title, pos(s), pos(e), repl) for title, s, e, repl in fixes),
        index if linked else None, data,
    )


class Reanalyzer:
    """Per-document memory of per-link findings; `analyze()` is what core.analysis.analyze
    returns with the offline providers, relevance over `pages`, and `extra`."""

    def __init__(self) -> None:
        self._entries: dict[tuple, _Entry] = {}
        # Per recent analysis (newest first), the entries it stopped using and their blocks'
        # ids: undoing an edit that changed many links (a stray space that ends a run of
        # reference definitions) then reuses them instead of judging every link again.
        # At most GONE_ANALYSES analyses and about as many entries as the post has links.
        self._gone: deque[tuple[dict[tuple, _Entry], dict[str, int]]] = deque()
        self._facts: tuple | None = None
        self._targets: dict[tuple, Any] = {}
        # A block's text -> a small id, so a key holds an int instead of a string that
        # Python would hash again for every link in the block.
        self._region_ids: dict[str, int] = {}
        self._next_region_id = 0
        # The same for the links near a block (what links_near may hand out for it); kept
        # across analyses, so a block's neighbours are hashed once, not again to carry them
        # over; pruned to the ones in use when it grows by a quarter (SIG_SLACK).
        self._sig_ids: dict[tuple, int] = {}
        self._sigs_used: set[int] = set()
        self._gen = 0  # counts analyses: entries kept by this one carry it (_Entry.gen)
        self.hits = 0
        self.misses = 0

    def analyze(
        self, post: Post, config: Config, pages: Mapping[str, Any] | None = None,
        extra: Iterable[Finding] = (),
    ) -> list[Finding]:
        from linkwriter.core.analysis import settle
        from linkwriter.core.paragraph_reads import READS
        from linkwriter.core.relevance.judge import _Judge, _page_for, judgeable, link_language
        from linkwriter.core.rules import check_link, check_post_wide, link_checks
        from linkwriter.core.rules.context import RuleContext
        from linkwriter.core.rules.urls import target_of
        from linkwriter.core.suggest.leadin import (
            MAX_FINDINGS_WITH_FIXES,
            RULE_ID,
            lead_in_finding,
            lead_in_problem,
            suggestion_severity,
        )
        from linkwriter.core.suggest.sentence import NEAR_PROBES, near_range
        from linkwriter.core.suggest.slots import vocabulary

        pages = pages or {}
        text = post.text
        links = post.links
        judge = _Judge(post, pages, config)
        facts = (config, post.title, tuple(post.front_matter.items()), post.body_start,
                 judge.lang)
        if facts != self._facts:
            self._entries, self._facts = {}, facts
            self._gone.clear()
        vocab = vocabulary(text[post.body_start :])
        ctx = RuleContext(post, config)
        targets = self._targets
        if len(targets) > 50_000:
            targets.clear()
        for i, link in enumerate(links):
            tkey = (link.url, link.href, link.kind)
            t = targets.get(tkey)
            if t is None:
                t = targets[tkey] = target_of(link)
            ctx._targets[i] = t
        checks = link_checks()
        suggest = RULE_ID not in config.ignore
        severity = suggestion_severity(config)
        ignored_lead = {
            m.link_index for m in post.ignore_markers
            if m.link_index is not None and (not m.rules or RULE_ID in m.rules)
        }
        blanks = [(m.start(), m.end()) for m in _BLANK.finditer(text)]
        blank_starts = [s for s, _ in blanks]
        blank_ends = [e for _, e in blanks]
        starts = [link.start for link in links]

        regions: dict[tuple[int, int], tuple[int, int]] = {}
        old_ids, region_ids = self._region_ids, {}
        sig_ids, sigs_used = self._sig_ids, self._sigs_used
        sigs_used.clear()
        self._gen = gen = self._gen + 1
        gone = self._gone
        near_memo: dict[tuple[int, int, int], tuple] = {}

        def near(a: int, start: int, end: int) -> tuple:
            """What a provider uses of links_near(post, start, end), relative to a block at
            a: the links whose segment overlaps the range (the others, handed out in case an
            <a> element begins before it, are not used: see links_near)."""
            got = near_memo.get((a, start, end))
            if got is None:
                lo, hi = near_range(starts, start, end)
                codes = []
                for k in range(lo, hi):
                    code = _near_code(text, links[k], a)
                    seg_end = code[-1] if code[-1] is not None else code[6]
                    if code[5] < end - a and seg_end > start - a:
                        codes.append(code)
                got = near_memo[(a, start, end)] = tuple(codes)
            return got

        def recorded(a: int, asked: set[tuple[int, int]]) -> tuple:
            return tuple((s - a, e - a, near(a, s, e)) for s, e in asked)

        still_valid = self._still_valid
        langs: dict[str, str] = {}

        def lang_of(link: Link) -> str:
            """link_language, once per text it reads (the paragraph, else the sentence)."""
            ctx = link.context
            context = ctx.paragraph or ctx.sentence
            got = langs.get(context)
            if got is None:
                got = langs[context] = link_language(link, judge.lang, config)
            return got

        def para_valid(entry: _Entry, link: Link) -> bool:
            """Whether what the verdicts read of the paragraph is as it was."""
            if not entry.para:
                return True
            paragraph = link.context.paragraph
            for kind, value in entry.para:
                if kind == "text":
                    if value != paragraph:
                        return False
                elif kind != "lang" or (entry.paragraph != paragraph
                                        and lang_of(link) != value):
                    return False
            entry.paragraph = paragraph  # every note holds for it
            return True

        def valid(entry: _Entry, link: Link, frame: _Frame, sig: int) -> bool:
            if not still_valid(entry, link, pages, vocab, judge, _page_for):
                return False
            if entry.sig != sig:
                a = frame.a
                if not all(near(a, a + s, a + e) == want for s, e, want in entry.near):
                    return False
                entry.sig = sig
            return para_valid(entry, link)

        # Block texts keep their ids from the last analysis, or from one whose entries are
        # still kept for an undo; neighbour sets from their own table, kept across analyses.
        block_tables = (old_ids, *(ids for _, ids in gone))

        def region_id(content: str) -> int:
            return self._intern(content, region_ids, block_tables)

        def sig_id(content: tuple) -> int:
            cid = self._intern(content, sig_ids, ())
            sigs_used.add(cid)
            return cid

        entries: dict[tuple, _Entry] = {}
        kept = self._entries
        rules_out: list[Finding] = []
        lead_out: list[Finding] = []
        rel_out: list[Finding] = []
        for index, link in enumerate(links):
            if not index & 63:
                checkpoint()  # given up for a newer text: self is as the last analysis left it
            try:
                frame, key, sig = self._key(text, links, index, link, starts, blank_starts,
                                            blank_ends, regions, region_id, sig_id)
            except _Uncacheable:
                frame = key = None
                sig = -1
            entry = None
            if key is not None:
                entry = kept.get(key)
                if entry is None or not (
                    still_valid(entry, link, pages, vocab, judge, _page_for)
                    and para_valid(entry, link)
                    if entry.sig == sig else valid(entry, link, frame, sig)
                ):
                    entry = next((e for old, _ in gone if (e := old.get(key)) is not None
                                  and valid(e, link, frame, sig)), None)
            fresh = entry is None
            if fresh:
                self.misses += 1
                entry = _Entry()
                vocab.probes = []
                NEAR_PROBES.probes = asked = set()
                READS.log = read = []
                try:
                    entry.rules = check_link(ctx, index, checks)
                    entry.reason = lead_in_problem(post, index) if suggest else None
                    entry.probes = vocab.probes
                    entry.judged = judgeable(link)
                    if entry.judged:
                        entry.page = _page_for(link, pages) if pages else None
                        judge.post_facts_used = False
                        before = len(judge.findings)
                        judge.judge_link(index, link)
                        entry.relevance = judge.findings[before:]
                        if judge.post_facts_used:
                            entry.post_facts = (judge.key_terms, judge.key_surface,
                                                judge.post_words)
                finally:
                    vocab.probes = NEAR_PROBES.probes = READS.log = None
                entry.para = tuple(dict.fromkeys(read))
                entry.paragraph = link.context.paragraph
                if frame is not None:
                    entry.near = recorded(frame.a, asked)
                    entry.sig = sig
            else:
                self.hits += 1
                last = entry.last
                if last is not None and last[:3] == (frame.a, frame.d0, index):
                    entry_rules, entry_rel = last[3], last[4]
                else:
                    entry_rules = [_decode(t, frame, index) for t in entry.rules]
                    entry_rel = [_decode(t, frame, index) for t in entry.relevance]
                    entry.last = (frame.a, frame.d0, index, entry_rules, entry_rel)
            # Raw findings of this link, in the providers' order.
            if fresh:
                rules_out.extend(entry.rules)
                rel_out.extend(entry.relevance)
            else:
                rules_out.extend(entry_rules)
                rel_out.extend(entry_rel)
            if entry.reason is not None and index not in ignored_lead:
                with_fixes = len(lead_out) < MAX_FINDINGS_WITH_FIXES
                cached = entry.lead.get(with_fixes) if not fresh else None
                if cached is not None:
                    lead_out.append(_decode(cached, frame, index))
                else:
                    vocab.probes = []
                    NEAR_PROBES.probes = asked = set()
                    READS.log = read = []
                    try:
                        found = lead_in_finding(post, index, config, None, severity,
                                                entry.reason, with_fixes=with_fixes)
                        entry.probes = entry.probes + vocab.probes
                    finally:
                        vocab.probes = NEAR_PROBES.probes = READS.log = None
                    if read:
                        entry.para = tuple(dict.fromkeys((*entry.para, *read)))
                        entry.paragraph = link.context.paragraph
                    lead_out.append(found)
                    if frame is not None:
                        entry.near = entry.near + recorded(frame.a, asked)
                        try:
                            entry.lead[with_fixes] = _encode(found, frame)
                        except _Uncacheable:
                            key = None
            if fresh and key is not None:
                try:
                    found_rules, found_rel = entry.rules, entry.relevance
                    entry.rules = [_encode(f, frame) for f in found_rules]
                    entry.relevance = [_encode(f, frame) for f in found_rel]
                    entry.last = (frame.a, frame.d0, index, found_rules, found_rel)
                except _Uncacheable:
                    key = None
            if key is not None:
                entries[key] = entry
                entry.gen = gen
        self._retire(kept, gen, old_ids, region_ids, len(links))
        self._entries = entries
        self._region_ids = region_ids
        if len(sig_ids) > len(sigs_used) * 5 // 4 + SIG_SLACK:
            self._sig_ids = {c: i for c, i in sig_ids.items() if i in sigs_used}
        raw = rules_out
        raw.extend(check_post_wide(ctx))
        raw.extend(lead_out)
        raw.extend(rel_out)
        raw.extend(extra)
        return settle(post, raw, config)

    def _intern(self, content: Any, now: dict, older: Iterable[Mapping]) -> int:
        """The id `content` has in `now` or had in one of `older`, else a new one; recorded
        in `now`, so the next analysis finds it."""
        cid = now.get(content)
        if cid is None:
            cid = next((i for table in older if (i := table.get(content)) is not None), None)
            if cid is None:
                self._next_region_id += 1
                cid = self._next_region_id
            now[content] = cid
        return cid

    def _retire(self, kept: dict[tuple, _Entry], gen: int,
                old_ids: dict[str, int], region_ids: dict[str, int], n_links: int) -> None:
        # By generation, not by looking each key up in the new table: hashing 5,000 keys of
        # 20 fields each cost 5 ms per analysis on a 1 MB post.
        gone = {k: e for k, e in kept.items() if e.gen != gen}
        if gone:
            for e in gone.values():
                e.last = None  # decoded again if ever reused: less memory meanwhile
            blocks = {k[0] for k in gone}
            used = set(region_ids.values())
            self._gone.appendleft((gone, {c: i for c, i in old_ids.items()
                                          if i in blocks and i not in used}))
        total = sum(len(old) for old, _ in self._gone)
        while self._gone and (len(self._gone) > GONE_ANALYSES
                              or total > max(500, n_links)):
            total -= len(self._gone.pop()[0])

    @staticmethod
    def _still_valid(entry: _Entry, link: Link, pages: Mapping[str, Any], vocab: Any,
                     judge: Any, page_for: Any) -> bool:
        if entry.probes and not vocab.holds(entry.probes):
            return False
        if entry.judged:
            if (page_for(link, pages) if pages else None) != entry.page:
                return False
            if entry.post_facts is not None and entry.post_facts != (
                judge.key_terms, judge.key_surface, judge.post_words
            ):
                return False
        return True

    @staticmethod
    def _key(text: str, links: list[Link], index: int, link: Link, starts: list[int],
             blank_starts: list[int], blank_ends: list[int],
             regions: dict[tuple[int, int], tuple[int, int]],
             region_id: Callable[[str], int],
             sig_id: Callable[[tuple], int]) -> tuple[_Frame, tuple, int]:
        seg_end = link.end
        if link.kind is LinkKind.HTML:
            m = _CLOSE_A.search(text, max(link.end, link.label_end))
            if m is None:
                raise _Uncacheable
            seg_end = m.end()
        i = bisect_right(blank_ends, link.start) - 1
        a = blank_starts[i] if i >= 0 else 0
        if a and text[a - 1] == "\r":
            a -= 1
        j = bisect_left(blank_starts, seg_end)
        b = blank_ends[j] if j < len(blank_ends) else len(text)
        if b - a > MAX_REGION:
            raise _Uncacheable
        ctx = link.context
        s0, s1 = ctx.sentence_start, ctx.sentence_end
        if not ctx.paragraph or not (a <= s0 <= link.start and seg_end <= s1 <= b):
            raise _Uncacheable  # the fallbacks that find them read beyond the block
        if not (a <= link.label_start <= b and a <= link.label_end <= b):
            raise _Uncacheable
        frame = _Frame(a, b)
        definition = ""
        if link.def_start is not None and link.def_end is not None:
            frame.d0, frame.d1 = link.def_start, link.def_end
            definition = text[link.def_start : link.def_end]
        code = frame.code
        me = (link.kind, link.url, link.href, link.text, link.title, link.start - a,
              link.end - a, code(link.dest_start), code(link.dest_end),
              link.label_start - a, link.label_end - a, link.is_image, link.ref_style,
              link.ref_label, definition, ctx.sentence, ctx.heading, ctx.title, s0 - a, s1 - a)
        region = regions.get((a, b))
        if region is None:
            region = regions[(a, b)] = (region_id(text[a:b]),
                                        sig_id(Reanalyzer._region(text, links, starts, a, b)))
        return frame, (region[0], me), region[1]

    @staticmethod
    def _region(text: str, links: list[Link], starts: list[int], a: int, b: int) -> tuple:
        """Every link links_near() may hand a provider for a sentence in the block (two
        before it, too), relative to the block: while it is unchanged, so is every answer."""
        lo = max(0, bisect_left(starts, a) - 2)
        hi = bisect_left(starts, b)
        return tuple([_near_code(text, o, a) for o in links[lo:hi]])


def _near_code(text: str, o: Link, a: int) -> tuple:
    """What the providers read of a neighbour link, positions relative to a."""
    seg: int | None = o.end - a
    if o.kind is LinkKind.HTML:
        m = _CLOSE_A.search(text, max(o.end, o.label_end))
        seg = m.end() - a if m else None
    return (o.kind, o.url, o.href, o.text, o.is_image, o.start - a, o.end - a,
            o.label_start - a, o.label_end - a, seg)
