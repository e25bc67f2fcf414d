"""Where a suggestion may edit: the sentence around a link, the link construct inside it, and
the writer's own words left once the link and its filler ("see", "click here") are taken out.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass

from linkwriter.core.model import Link, LinkKind
from linkwriter.core.post import Post

_CLOSE_A = re.compile(r"</a\s*>", re.I)
_BLOCK_PREFIX = re.compile(r"(?:[ \t]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+|>[ \t]?))+")
_WORD = re.compile(r"[^\W_][\w'’-]*")

# Filler that only points at the link and says nothing about it. Each repetition must eat a
# non-space character, and only a short window next to the link is searched, so a long or
# odd sentence can never make these backtrack badly.
_FILLER_BEFORE = re.compile(
    r"(?:\s*(?:\b(?:see(?: also)?|check(?: out)?|click|visit|via|read(?: more)?|go to|"
    r"head (?:over )?to|here'?s|here is|more at|more info|more|sources?|links?|details|info|"
    r"also|find out more|learn more|look at|found at|available at)\b|[(\[:–—-]))*\s*$",
    re.I,
)
_FILLER_AFTER = re.compile(
    r"^(?:\s*(?:[)\]:–—-]|\b(?:here|for (?:more|details|the details|more info(?:rmation)?)|"
    r"to (?:learn|read|find out|see) more|if you(?:'re| are) interested)\b))*\s*",
    re.I,
)
_WINDOW = 160  # filler sits right next to the link
MAX_SENTENCE = 1500  # source characters; longer "sentences" are edited link-only
MAX_PLAIN_SENTENCE = 600  # plain-text characters (about 100 words): beyond is a run-on line


# The runs of word characters, and the other characters, that a match of _FILLER_BEFORE can
# hold (kept in step with it by tests/test_suggest_edits.py).
_FILLER_WORDS = frozenset({
    "see", "also", "check", "out", "click", "visit", "via", "read", "more", "go", "to", "head",
    "over", "here", "s", "heres", "is", "at", "info", "source", "sources", "link", "links",
    "details", "find", "learn", "look", "found", "available",
})
_FILLER_OTHER = frozenset("()[:–—-'")


def strip_filler_before(before: str) -> str:
    tail = before[-_WINDOW:]
    m = _FILLER_BEFORE.search(tail, _filler_bound(tail))
    return before[: len(before) - len(tail) + m.start()] if m else before


def _filler_bound(tail: str) -> int:
    """Where a match of _FILLER_BEFORE can start at the earliest. The regex, searched from
    the start, tries each of up to 160 positions (18 µs a link on real posts); a match holds
    only filler words, spaces and a few marks, so it cannot start before the last other word
    or mark. Non-ASCII characters are let through: under IGNORECASE "ſ" matches "s"."""
    i = len(tail)
    while i > 0:
        ch = tail[i - 1]
        if ch.isalnum() or ch == "_":  # what \w is to the re module
            j = i - 1
            while j > 0 and (tail[j - 1].isalnum() or tail[j - 1] == "_"):
                j -= 1
            word = tail[j:i]
            if word.isascii() and word.lower() not in _FILLER_WORDS:
                return i
            i = j
        elif ch in _FILLER_OTHER or ch.isspace() or not ch.isascii():
            i -= 1
        else:
            return i
    return 0


def strip_filler_after(after: str) -> str:
    m = _FILLER_AFTER.match(after[:_WINDOW])
    return after[m.end() :] if m else after


def links_near(post: Post, start: int, end: int) -> list[Link]:
    """Links whose construct may touch [start, end): found by bisection, not a full scan.

    A superset: callers keep those whose segment (link_segment) overlaps the range, and
    use nothing of the others; core.reanalysis relies on that when it checks the answers."""
    links = post.links
    cached = _STARTS.get(id(links))
    if cached is None or cached[0] is not links or len(cached[1]) != len(links):
        cached = (links, [link.start for link in links])
        _STARTS.clear()
        _STARTS[id(links)] = cached
    lo, hi = near_range(cached[1], start, end)
    probes = NEAR_PROBES.probes
    if probes is not None:
        probes.add((start, end))
    return links[lo:hi]


def near_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The slice of links (by their sorted starts) that links_near hands out: from two
    before `start`, since an <a> element may begin a little before its text."""
    return max(0, bisect_left(starts, start) - 2), bisect_left(starts, end)


class _NearProbes(threading.local):
    """While `probes` is a set, links_near adds each (start, end) it was asked about, so a
    cache of per-link results (core.reanalysis) can check later that the same question
    still gets the same neighbours."""

    probes: set[tuple[int, int]] | None = None


NEAR_PROBES = _NearProbes()
_STARTS: dict[int, tuple[list[Link], list[int]]] = {}
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
_TERMINAL = re.compile(r"[\s.!?…,;:)\]]*$")


@dataclass(frozen=True, slots=True)
class Surroundings:
    """Offsets in the source text plus the pieces a template needs."""

    span_start: int  # edit region (the sentence without list/heading markers)
    span_end: int
    seg_start: int  # the link construct (through "</a>" for raw HTML)
    seg_end: int
    before: str  # source text between span_start and seg_start
    after: str  # source text between seg_end and span_end
    rest: str | None  # the writer's clause without the link, when it stands on its own
    rest_at: str  # "before", "after", "mid" (link inside a clause), or "bare" (no words)
    terminal: str  # the sentence's end punctuation, "." when none
    capped: bool = False  # the sentence was too long to treat as one; edits touch the link only

    @property
    def is_bare(self) -> bool:
        return self.rest_at == "bare"


def link_segment(text: str, link: Link) -> tuple[int, int]:
    start, end = link.start, link.end
    if link.kind is LinkKind.HTML:
        m = _CLOSE_A.search(text, max(link.end, link.label_end))
        if m:
            end = m.end()
    return start, end


def sentence_span(post: Post, link: Link, seg: tuple[int, int]) -> tuple[int, int, bool]:
    """(start, end, capped): capped when the "sentence" is too long to be one a reader would
    recognise (a run-on line, a table, generated text); then only the link itself is edited."""
    text = post.text
    if len(link.context.sentence) > MAX_PLAIN_SENTENCE:
        return seg[0], seg[1], True  # the parser gave a window of a run-on line
    s, e = link.context.sentence_start, link.context.sentence_end
    if not (0 <= s <= seg[0] and seg[1] <= e <= len(text)):
        s, e = _find_sentence(text, seg[0], seg[1])
    if e - s > MAX_SENTENCE:
        return seg[0], seg[1], True
    # Never cut another link in half: grow the span over any link it touches.
    for other in links_near(post, s, e):
        o_s, o_e = link_segment(text, other)
        if o_s < s < o_e:
            s = o_s
        if o_s < e < o_e:
            e = o_e
    # Keep list bullets, heading hashes and quote markers out of the edit.
    line_start = text.rfind("\n", 0, s) + 1
    prefix = _BLOCK_PREFIX.match(text, line_start)
    if prefix and line_start <= s < prefix.end() <= seg[0]:
        s = prefix.end()
    while s < seg[0] and text[s] in " \t\n":
        s += 1
    while e > seg[1] and text[e - 1] in " \t\n":
        e -= 1
    return s, e, False


def _find_sentence(text: str, seg_start: int, seg_end: int) -> tuple[int, int]:
    """Fallback sentence finder used when the parser gave no sentence offsets."""
    breaks = list(_BLANK_LINE.finditer(text, 0, seg_start))
    para_start = breaks[-1].end() if breaks else 0
    start = para_start
    for m in re.finditer(r"[.!?][)\"'”’]*\s+", text[para_start:seg_start]):
        start = para_start + m.end()
    # A new list item or heading line also starts a sentence.
    base = start
    for m in re.finditer(r"\n(?=[ \t]*(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>))", text[base:seg_start]):
        start = base + m.end()
    next_break = _BLANK_LINE.search(text, seg_end)
    end_para = next_break.start() if next_break else len(text)
    m = re.search(r"[.!?][)\"'”’]*(?=\s|$)", text[seg_end:end_para])
    end = seg_end + m.end() if m else end_para
    nl = re.search(r"\n(?=[ \t]*(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>))", text[seg_end:end])
    if nl:
        end = seg_end + nl.start()
    return start, end


def surroundings(post: Post, link: Link) -> Surroundings:
    text = post.text
    seg = link_segment(text, link)
    s, e, capped = sentence_span(post, link, seg)
    before, after = text[s : seg[0]], text[seg[1] : e]
    term = re.search(r"[.!?…]+[)\"'”’]*\s*$", after)
    terminal = re.sub(r"[^.!?…]", "", term.group(0))[:1] if term else "."
    core_before = strip_filler_before(before)
    core_after = strip_filler_after(after)
    core_after = _TERMINAL.sub("", core_after) if not _WORD.search(core_after) else core_after
    words_before = len(_WORD.findall(core_before))
    words_after = len(_WORD.findall(core_after))
    rest: str | None = None
    if words_before == 0 and words_after == 0:
        rest_at = "bare"
    elif words_after == 0 and before[len(core_before) :].strip():
        rest_at = "before"  # "Claim (see [source](url))." or "Claim: [source](url)."
        rest = core_before.rstrip(" \t\n,;:–—-(")
    elif words_before == 0 and re.match(r"^\s*[:–—-]|^\s*\)?\s*[:–—-]", after):
        rest_at = "after"
        rest = _TERMINAL.sub("", re.sub(r"^\s*\)?\s*[:–—-]\s*", "", after))
    else:
        rest_at = "mid"
    if rest is not None and len(_WORD.findall(rest)) < 3 and not _holds_other_link(
        post, link, s, e
    ):
        # Too few words to stand alone; but another link ("[r1][] see [here](u).") is the
        # writer's and must stay, which only a kept rest does.
        rest_at, rest = ("bare" if words_before + words_after <= 2 else "mid"), None
    return Surroundings(
        s, e, seg[0], seg[1], before, after, rest, rest_at, terminal or ".", capped
    )



def _holds_other_link(post: Post, link: Link, start: int, end: int) -> bool:
    """Whether a link other than `link` lies wholly inside [start, end)."""
    text = post.text
    return any(o is not link and start <= o.start and link_segment(text, o)[1] <= end
               for o in links_near(post, start, end))


def context_words(post: Post, link: Link) -> int:
    """Words in the link's sentence that are not the anchor or filler (WCAG 2.4.4 context)."""
    sur = surroundings(post, link)
    core_before = strip_filler_before(sur.before)
    core_after = strip_filler_after(sur.after)
    return len(_WORD.findall(_strip_links(post, core_before))) + len(
        _WORD.findall(_strip_links(post, core_after))
    )


def _strip_links(post: Post, text: str) -> str:
    return re.sub(r"\[[^\]]*\]\([^)]*\)|<https?://[^>]*>|https?://\S+", " ", text)
