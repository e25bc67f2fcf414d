"""IncrementalExtractor must give exactly the Post a full parse gives, after any edit."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cancel import counting_inline_parses
from test_extract_properties import document

from linkwriter.core import extract
from linkwriter.core.extract import parse_post
from linkwriter.core.incremental import IncrementalExtractor

SNIPPETS = st.sampled_from([
    "x", " ", "\n", "\n\n", "[", "]", "(", ")", "`", "```", "```\n", "> ", "- ", "1. ", "#",
    "# ", "|", "---", "===", "<", ">", "<!--", "-->", "*", "\t", "    ", "[foo]: /new\n",
    "\n[foo]: /x\n", "[bar]: https://b.example 'T'\n", "[foo]", "[Foo][]", "https://n.example",
    "www.w.org ", "<a href=\"z\">", "😀", "\r\n", ":", "//", "@", "\\", "!", "[l](u)",
    "---\ntitle: t\n---\n",
])


@st.composite
def edits(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        a = draw(st.integers(0, len(text)))
        b = min(len(text), a + draw(st.sampled_from([0, 0, 1, 2, 8, 40])))
        text = text[:a] + draw(st.one_of(st.just(""), SNIPPETS)) + text[b:]
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_incremental_equals_full_parse(data: st.DataObject) -> None:
    text = data.draw(document())
    ext = IncrementalExtractor()
    assert ext.update(text) == parse_post(text)
    for _ in range(data.draw(st.integers(1, 4))):
        text = data.draw(edits(text))
        assert ext.update(text) == parse_post(text), repr(text)


def _doc(n: int) -> str:
    parts = []
    for i in range(n):
        parts.append(f"## Section {i}\n\nPara {i} with [link {i}](https://e{i}.example/p) and "
                     f"[ref {i}][r{i % 7}] and www.site{i}.org here.\n")
    parts.extend(f"[r{k}]: https://ref{k}.example/\n" for k in range(7))
    return "\n".join(parts)


def test_one_character_edit_reparses_few_blocks() -> None:
    text = _doc(300)
    ext = IncrementalExtractor()
    ext.update(text)
    at = text.index("Para 150") + 4
    edited = text[:at] + "x" + text[at:]
    assert ext.update(edited) == parse_post(edited)
    assert 0 < ext.last_reparsed <= 8


def test_definition_edits_propagate_to_distant_links() -> None:
    text = _doc(50)
    ext = IncrementalExtractor()
    ext.update(text)
    changed = text.replace("[r3]: https://ref3.example/", "[r3]: https://moved.example/")
    post = ext.update(changed)
    assert post == parse_post(changed)
    assert any(link.href == "https://moved.example/" for link in post.links)
    removed = changed.replace("[r4]: https://ref4.example/\n", "")
    post = ext.update(removed)
    assert post == parse_post(removed)
    assert not any(link.ref_label == "r4" for link in post.links)
    added = removed + "[r4]: /back\n"
    assert ext.update(added) == parse_post(added)


def test_undoing_a_broken_definition_reuses_the_earlier_inline_parse(monkeypatch) -> None:
    """A space typed into a definition's URL ends it: every paragraph that used it is parsed
    again. Deleting the space must give back the earlier results of those paragraphs, not
    walk them a third time; and so must typing it again."""
    walked: list[str] = []
    real_walk = extract._walk_inline

    def counting_walk(walk, tok, cmap):  # noqa: ANN001, ANN202
        walked.append(tok.content)
        return real_walk(walk, tok, cmap)

    monkeypatch.setattr(extract, "_walk_inline", counting_walk)
    text = _doc(40)
    broken = text.replace("[r3]: https://ref3.example/", "[r3]: https://ref3 .example/")
    ext = IncrementalExtractor()
    ext.update(text)
    users = sum("][r3]" in c for c in walked)
    assert users == 6
    for step, walks in ((broken, users), (text, 0), (broken, 0), (text, 0)):
        walked.clear()
        post = ext.update(step)
        assert sum("][r3]" in c for c in walked) == walks
        assert post == parse_post(step)
        assert any(link.ref_label == "r3" for link in post.links) is (step == text)


def test_edits_that_change_block_structure() -> None:
    text = _doc(20)
    ext = IncrementalExtractor()
    ext.update(text)
    for edited in (
        "```\n" + text,  # an unclosed fence swallows everything
        text.replace("\n\nPara 5", "\nPara 5"),  # paragraph joins heading line? no: setext
        text.replace("## Section 7\n", "> ## Section 7\n"),
        text.replace("Para 9", "- Para 9"),
        "---\ntitle: Now\n---\n" + text,
    ):
        assert ext.update(edited) == parse_post(edited)
        assert ext.update(text) == parse_post(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab\n []()#-", max_size=40), st.data())
def test_spliced_line_tables_match_fresh_ones(text: str, data: st.DataObject) -> None:
    from linkwriter.core.incremental import _common_prefix, _common_suffix
    from linkwriter.core.srcmap import BodyMap

    edited = data.draw(edits(text)).replace("\r", "")  # splicing is only used without CR
    old = BodyMap(text, 0)
    p = _common_prefix(text, edited)
    s = _common_suffix(text, edited, min(len(text), len(edited)) - p)
    new = BodyMap.spliced(old, edited, p, len(text) - s, len(edited) - len(text))
    fresh = BodyMap(edited, 0)
    assert new.nstarts == fresh.nstarts and new.all_starts == fresh.all_starts


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab", max_size=20000), st.text(alphabet="ab", max_size=30),
       st.integers(0, 20000), st.integers(0, 20))
def test_common_prefix_and_suffix(text: str, insert: str, at: int, cut: int) -> None:
    from linkwriter.core.incremental import _common_prefix, _common_suffix

    at = min(at, len(text))
    edited = text[:at] + insert + text[at + cut:]
    p = _common_prefix(text, edited)
    assert text[:p] == edited[:p]
    assert p == min(len(text), len(edited)) or text[p] != edited[p]
    limit = min(len(text), len(edited)) - p
    s = _common_suffix(text, edited, limit)
    assert s <= limit and text[len(text) - s:] == edited[len(edited) - s:]
    assert s == limit or text[len(text) - s - 1] != edited[len(edited) - s - 1]


def test_line_ending_change_invisible_to_markdown_it() -> None:
    # CRLF -> LF inside a block changes offsets but not the normalised text.
    text = "Intro\r\n\r\n[a](/x) one  \r\ntwo [b](/y)\r\n\r\nend [c](/z)\r\n"
    ext = IncrementalExtractor()
    ext.update(text)
    edited = text.replace("one  \r\ntwo", "one  \ntwo")
    assert ext.update(edited) == parse_post(edited)
    back = edited.replace("\r\n", "\n")
    assert ext.update(back) == parse_post(back)
    assert ext.update(text) == parse_post(text)


def test_crlf_document_reuses_unchanged_links() -> None:
    text = _doc(40).replace("\n", "\r\n")
    ext = IncrementalExtractor()
    before = ext.update(text)
    at = text.index("Para 30") + 4
    edited = text[:at] + "x" + text[at:]
    after = ext.update(edited)
    assert after == parse_post(edited)
    # Reference links follow their definitions (at the end, so moved); the others before
    # the re-parsed margin stay the same objects.
    same = [(a, b) for a, b in zip(before.links, after.links, strict=True)
            if a.start < text.index("Para 25") and a.ref_style is None]
    assert len(same) > 30 and all(a is b for a, b in same)
    moved = [link for link in after.links if link.start > at]
    assert moved and all(edited[m.start:m.end].startswith(("[", "www")) for m in moved)
    # A line ending changed inside an otherwise untouched block: its Links are not reused
    # as they were, since their offsets no longer shift uniformly.
    cut = edited.index("Para 35")
    relf = edited[:cut] + edited[cut:].replace("\r\n", "\n", 1)
    assert ext.update(relf) == parse_post(relf)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\r\n\0-+", max_size=40), st.integers(0, 40))
def test_body_map_line_tables(text: str, body_start: int) -> None:
    # The CRLF fast path (str.replace and index arithmetic) must agree with a plain scan.
    from linkwriter.core.srcmap import NEWLINE_RE, BodyMap

    body_start = min(body_start, len(text))
    m = BodyMap(text, body_start)
    body = text[body_start:]
    assert m.nsrc == NEWLINE_RE.sub("\n", body).replace("\0", "\ufffd")
    assert m.ostarts == [0, *(x.end() for x in NEWLINE_RE.finditer(body))]
    assert m.all_starts == [0, *(x.end() for x in NEWLINE_RE.finditer(text))]
    crlf = text.replace("\r", "").replace("\n", "\r\n")
    c = BodyMap(crlf, min(body_start, len(crlf)))
    assert c.all_starts == [0, *(x.end() for x in NEWLINE_RE.finditer(crlf))]
    assert c.ostarts == [0, *(x.end() for x in NEWLINE_RE.finditer(crlf[c.body_start:]))]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab\n []#-", max_size=40), st.data())
def test_spliced_map_after_front_matter(text: str, data: st.DataObject) -> None:
    # With front matter the spliced map finds lines through the body's own table.
    from linkwriter.core.incremental import _common_prefix, _common_suffix
    from linkwriter.core.srcmap import BodyMap

    head = "---\ntitle: t\n---\n"
    text = head + text
    edited = head + data.draw(edits(text[len(head):])).replace("\r", "")
    old = BodyMap(text, len(head))
    p = _common_prefix(text, edited)
    s = _common_suffix(text, edited, min(len(text), len(edited)) - p)
    bs = len(head)
    new = BodyMap.spliced(old, edited, p - bs, len(text) - s - bs, len(edited) - len(text))
    again = BodyMap.spliced(new, edited + "x", len(edited) - bs, len(edited) - bs, 1)
    fresh, fresh2 = BodyMap(edited, bs), BodyMap(edited + "x", bs)
    assert [new.line_col(i) for i in range(len(edited) + 1)] == [
        fresh.line_col(i) for i in range(len(edited) + 1)]
    assert [again.line_col(i) for i in range(len(edited) + 2)] == [
        fresh2.line_col(i) for i in range(len(edited) + 2)]
    assert new.all_starts == fresh.all_starts and again.all_starts == fresh2.all_starts


def test_definition_reshaped_without_changing_what_it_defines() -> None:
    # Same label, destination and title: nothing is re-parsed, yet the definition's span
    # (def_end on every link using it) changes.
    text = "".join(f"Para {i} [x][foo] here.\n\n" for i in range(12)) + "[foo]: /u 'T'\n"
    ext = IncrementalExtractor()
    ext.update(text)
    edited = text.replace("/u 'T'", "/u  'T'")
    post = ext.update(edited)
    assert post == parse_post(edited)
    assert post.links[0].def_end == len(edited) - 1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab\r\n\0 [#", max_size=40), st.data())
def test_spliced_maps_with_any_line_endings(text: str, data: st.DataObject) -> None:
    # CRLF, lone CR and NUL: the spliced map (normalised text, both line tables, offset and
    # line lookups) equals a fresh one, with and without front matter.
    from linkwriter.core.incremental import _common_prefix, _common_suffix
    from linkwriter.core.srcmap import BodyMap

    head = data.draw(st.sampled_from(["", "---\ntitle: t\n---\n", "+++\r\na = 1\r\n+++\r\n"]))
    old_text = head + text
    new_text = head + data.draw(edits(text))
    bs = len(head)
    old = BodyMap(old_text, bs)
    p = max(bs, _common_prefix(old_text, new_text))
    s = _common_suffix(old_text, new_text, min(len(old_text), len(new_text)) - p)
    new = BodyMap.spliced(old, new_text, p - bs, len(old_text) - s - bs,
                          len(new_text) - len(old_text))
    fresh = BodyMap(new_text, bs)
    n = fresh.nlen
    assert new.nlen == n and new._nsrc is None  # normalised text not made yet
    assert all(new.nslice(i, j) == fresh.nsrc[i:j] for i in range(n + 1) for j in range(i, n + 1))
    assert new._nsrc is None
    np_, ns = new.ndiff
    assert fresh.nsrc[:np_] == old.nsrc[:np_] and np_ + ns <= min(n, old.nlen)
    assert fresh.nsrc[n - ns:] == old.nsrc[old.nlen - ns:]
    assert (new.nsrc, new.nstarts, new.ostarts, new.same, new.plain) == (
        fresh.nsrc, fresh.nstarts, fresh.ostarts, fresh.same, fresh.plain)
    assert [new.line_col(i) for i in range(len(new_text) + 1)] == [
        fresh.line_col(i) for i in range(len(new_text) + 1)]
    assert [new.to_orig(i) for i in range(len(new.nsrc) + 1)] == [
        fresh.to_orig(i) for i in range(len(fresh.nsrc) + 1)]
    assert new.all_starts == fresh.all_starts


def test_crlf_edits_equal_full_parse() -> None:
    # One-character edits all over a CRLF document, including inside a fence, front matter,
    # a reference definition and next to emoji, and edits that change only a line ending.
    base = ("---\r\ntitle: Tëst 😀\r\n---\r\n# Head 😀\r\n\r\n"
            "line one [a](/a)\r\nline two [b](/b)\r\n\r\n" + _doc(30) + "\r\n```\r\n"
            "[no](link) inside a fence\r\n```\r\n\r\n> quote 😀 [q](/q)\r\n")
    text = base.replace("\r\n", "\n").replace("\n", "\r\n")
    ext = IncrementalExtractor()
    assert ext.update(text) == parse_post(text)
    marks = ["title:", "Head", "Para 3 ", "[r2]:", "https://ref5", "[no]", "quote", "😀 [q]"]
    for mark in marks:
        at = text.index(mark) + 2
        for edited in (text[:at] + "x" + text[at:], text[:at] + text[at + 1:],
                       text[:at] + "\r\n" + text[at:]):
            assert ext.update(edited) == parse_post(edited), (mark, edited[at - 5:at + 5])
            assert ext.update(text) == parse_post(text)
    # Only a line ending changes inside a block far from the last edit: markdown-it-py
    # sees the same text, but the block's later links move.
    cut = text.index("one [a](/a)")
    for ending in ("\n", "\r", "\r\r\n"):
        edited = text[:cut] + text[cut:].replace("\r\n", ending, 1)
        post = ext.update(edited)
        assert post == parse_post(edited)
        b = next(link for link in post.links if link.url == "/b")
        assert edited[b.start:b.end] == "[b](/b)"
        assert ext.update(text) == parse_post(text)
    fm_lf = text.replace("\r\n", "\n", 2)
    for edited in (fm_lf, fm_lf[:40] + "\r" + fm_lf[40:], text.replace("\r\n", "\n"), text):
        assert ext.update(edited) == parse_post(edited)


def test_the_inline_cache_keeps_few_old_versions_of_a_block():
    """Every keystroke in a block leaves the entry of its old text in the cache; a block with
    many links (a run of definitions a stray space made a paragraph) made that 40 MB in 240
    keystrokes on a 1 MB post. Only the newest few old entries may stay."""
    urls = " ".join(f"https://ref.example.com/{i}" for i in range(300))
    text = "# Links\n\nIntro [a](https://example.com/a).\n\n" + urls + "\n\nOutro.\n"
    extractor = IncrementalExtractor()
    extractor.update(text)
    at = text.index("https://ref.example.com/150")
    for _ in range(40):
        text = text[:at] + "x" + text[at:]
        post = extractor.update(text)
    cached = sum(len(e.raws) for e in extractor._cache.values())
    assert cached <= 301 + 4000 + 301  # the live block, the spare budget, one more
    assert cached < 40 * 300  # what it was: every version kept
    assert [link.url for link in post.links] == [link.url for link in parse_post(text).links]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_parsing_ahead_never_changes_what_an_update_gives(data: st.DataObject) -> None:
    """IncrementalExtractor.prepare only fills the cache: any edit after it still gives the
    Post a full parse gives."""
    text = data.draw(document())
    ext = IncrementalExtractor()
    ext.update(text)
    for _ in range(data.draw(st.integers(1, 4))):
        ext.prepare()
        text = data.draw(edits(text))
        assert ext.update(text) == parse_post(text), repr(text)


def counting_block_parses(monkeypatch) -> list[int]:
    """A counter of block-level parses from now on."""
    blocks = [0]
    real_block_parse = extract.block_parse

    def counting_block_parse(nsrc):
        blocks[0] += 1
        return real_block_parse(nsrc)

    monkeypatch.setattr(extract, "block_parse", counting_block_parse)
    return blocks


def test_blocks_parsed_ahead_need_no_parse_when_the_definitions_break(monkeypatch):
    """A space in the first definition's URL ends every definition after it: each paragraph
    that used one must be read again with it undefined. Parsed ahead in idle time, none is
    parsed then, nor on the undo."""
    from test_cancel import EDITS, N

    before, broken = EDITS["space in a definition"]
    want_before, want_broken = parse_post(before), parse_post(broken)
    parsed = counting_inline_parses(monkeypatch)
    blocks = counting_block_parses(monkeypatch)
    for ahead in (False, True):
        ext = IncrementalExtractor()
        ext.update(before)
        if ahead:
            assert ext.prepare() == N  # every paragraph that uses a definition
            assert ext.prepare() == 0  # and only once
        parsed[0] = blocks[0] = 0
        assert ext.update(broken) == want_broken
        if ahead:
            assert parsed[0] <= 8  # the run of definitions, now a paragraph, and the blocks
            # re-parsed around the edit
            # The stretch around the edit; not one per paragraph: those come from the
            # cache whole (rewalk).
            assert blocks[0] <= 8
        else:
            assert parsed[0] >= N
        parsed[0] = blocks[0] = 0
        assert ext.update(before) == want_before
        assert parsed[0] == 0  # the results from before the break were kept for the undo
        assert blocks[0] <= 8


def test_parsing_ahead_can_be_given_up_at_any_block(monkeypatch):
    from test_cancel import EDITS, N, counting

    from linkwriter.core.cancel import Cancelled, cancellable

    before, broken = EDITS["space in a definition"]
    parsed = counting_inline_parses(monkeypatch)
    ext = IncrementalExtractor()
    ext.update(before)
    calls, check = counting(3)
    parsed[0] = 0
    with cancellable(check), pytest.raises(Cancelled):
        ext.prepare()
    assert calls[0] == 3 and parsed[0] == 16  # two checkpoints passed, 8 blocks each
    assert ext.prepare() == N - 16  # the rest, and nothing twice
    want = parse_post(broken)
    parsed[0] = 0
    assert ext.update(broken) == want
    assert parsed[0] <= 8


def test_a_paragraph_that_swallows_the_blocks_after_it_is_parsed_once(monkeypatch):
    """The stretch re-parsed after an edit grows until it ends at a block boundary; a
    paragraph that swallows the 300 definitions after it kept it growing, and each attempt
    used to inline-parse the paragraph again (10 times here). The boundary is found from the
    block structure; the inline parse runs once, on the final stretch."""
    defs = "\n".join(f"[d{i}]: https://ref.example.com/rye/{i}" for i in range(300))
    text = "# Rye\n\nBake [rye][d5] at home.\n\n" + defs + "\n"
    broken = text.replace("rye/0\n", "rye /0\n")
    want = parse_post(broken)
    ext = IncrementalExtractor()
    ext.update(text)
    parsed = counting_inline_parses(monkeypatch)
    blocks = counting_block_parses(monkeypatch)
    assert ext.update(broken) == want
    assert parsed[0] <= 2  # the definitions, now a paragraph, and the one that used d5
    # Grown to the blank line the paragraph must end at, not by doubling (9 attempts here),
    # then the paragraph that used d5.
    assert blocks[0] <= 3


def test_a_stretch_grown_past_a_blank_line_still_equals_a_full_parse():
    """Growing to the next blank line at once must not stop at one that ends nothing: a
    fence opened by the edit runs on past blank lines, as does a list item's text."""
    tail = "\n\n".join(f"Para {i} with [a link](https://example.com/{i})." for i in range(40))
    for text, edit in (
        ("Intro\n" + tail + "\n", ("Intro\n", "```\nIntro\n")),
        ("- item\n  more\n" + tail + "\n", ("- item\n", "- item [x](https://x.example/)\n")),
        ("[d]: https://d.example/x\n[e]: https://e.example/y\n\n" + tail + "\n",
         ("[d]: https://d.example/x", "[d]: https://d.example /x")),
    ):
        ext = IncrementalExtractor()
        ext.update(text)
        edited = text.replace(*edit, 1)
        assert ext.update(edited) == parse_post(edited)
