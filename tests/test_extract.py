"""Link extraction: exact spans, kinds, context, and agreement with markdown-it-py's HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from extract_checks import check_post

from linkwriter.core.extract import parse_post
from linkwriter.core.model import LinkKind
from linkwriter.core.offsets import Utf16Map

DATA = Path(__file__).parent / "data"


def _spec_examples() -> list[str]:
    text = (DATA / "commonmark_links.txt").read_text(encoding="utf-8")
    found = re.findall(r"^~~~ example\n(.*?)\n~~~$", text, flags=re.S | re.M)
    return [ex.replace("→", "\t") for ex in found]


SPEC = _spec_examples()


def _corpus_dir() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "corpus" / "nodeblog"
        if candidate.is_dir():
            return candidate
    return None


def test_spec_examples_are_loaded() -> None:
    assert len(SPEC) > 120


@pytest.mark.parametrize("example", SPEC)
def test_spec_example(example: str) -> None:
    check_post(example)


def _nest(example: str, prefix: str, first: str | None = None) -> str:
    lines = example.split("\n")
    return "\n".join((first if i == 0 and first else prefix) + ln for i, ln in enumerate(lines))


@pytest.mark.parametrize("example", SPEC)
def test_spec_example_in_containers_with_crlf_and_emoji(example: str) -> None:
    check_post("😀 intro\n\n" + _nest(example, "> "))
    check_post(_nest(example, "   ", "1. "))
    check_post(example.replace("\n", "\r\n"))
    check_post("---\ntitle: x\n---\n" + example)


@pytest.mark.slow
def test_corpus_matches_rendered_html() -> None:
    corpus = _corpus_dir()
    if corpus is None:
        pytest.skip("shared/corpus/nodeblog not found beside the repository")
    files = sorted(corpus.glob("*.md"))
    assert files
    total = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        total += len(check_post(text).links)
    assert total > 1000


def test_kinds_spans_and_fields() -> None:
    text = (
        "# Title here\n\n"
        'See [the docs](https://ex.com/a?b=1 "T") and <https://auto.example>, www.bare.com.\n'
        "Ref [foo], [bar][foo] and [Foo][]. Mail <me@ex.org>. ![alt *x*](i.png)\n\n"
        '<a href="x.html">raw *y*</a> and <img src="p.png" alt="pic">\n\n'
        "[foo]: <https://ref.example/> 'tt'\n"
    )
    post = check_post(text)
    kinds = [link.kind for link in post.links]
    assert kinds == [LinkKind.INLINE, LinkKind.AUTOLINK, LinkKind.BARE, LinkKind.REFERENCE,
                     LinkKind.REFERENCE, LinkKind.REFERENCE, LinkKind.AUTOLINK,
                     LinkKind.IMAGE, LinkKind.HTML, LinkKind.HTML]
    inline = post.links[0]
    assert (inline.url, inline.href, inline.text, inline.title) == (
        "https://ex.com/a?b=1", "https://ex.com/a?b=1", "the docs", "T")
    assert text[inline.label_start:inline.label_end] == "the docs"
    assert (inline.line, inline.column) == (3, 5)
    bare = post.links[2]
    assert (bare.url, bare.href) == ("www.bare.com", "http://www.bare.com")
    refs = post.links[3:6]
    assert [r.ref_style for r in refs] == ["shortcut", "full", "collapsed"]
    assert [r.ref_label for r in refs] == ["foo", "foo", "Foo"]
    assert [r.text for r in refs] == ["foo", "bar", "Foo"]
    assert all(r.url == "https://ref.example/" and r.title == "tt" for r in refs)
    definition = post.definitions[0]
    assert text[refs[0].def_start:refs[0].def_end] == "[foo]: <https://ref.example/> 'tt'"
    assert definition.used and definition.label == "foo" and definition.line == 8
    mail = post.links[6]
    assert (mail.url, mail.href) == ("me@ex.org", "mailto:me@ex.org")
    image = post.links[7]
    assert image.is_image and image.text == "alt x" and image.url == "i.png"
    html_a, html_img = post.links[8:]
    assert (html_a.url, html_a.text) == ("x.html", "raw y")
    assert text[html_a.label_start:html_a.label_end] == "raw *y*"
    assert html_img.is_image and html_img.text == "pic" and html_img.url == "p.png"
    ctx = inline.context
    assert ctx.heading == "Title here" and ctx.title == "Title here"
    assert ctx.sentence.startswith("See the docs and") and ctx.sentence.endswith("www.bare.com.")
    assert text[ctx.sentence_start:ctx.sentence_end].startswith("See [the docs]")
    assert "Ref foo, bar and Foo." in ctx.paragraph
    assert post.links[3].context.sentence == "Ref foo, bar and Foo."


def test_nothing_in_code_or_comments_is_a_link() -> None:
    text = (
        "`[a](b)` and `https://x.com`\n\n"
        "```\n[c](d) https://y.com <https://z.com>\n```\n\n"
        "    [e](f) www.code.com\n\n"
        "<!-- [g](h) https://c.com -->\n\n"
        "Text <!-- [i](j) --> end\n\n"
        "~~~md\n<a href=\"k\">\n~~~\n"
    )
    assert check_post(text).links == []


def test_refused_schemes_are_extracted() -> None:
    text = "[x](javascript:alert(1)) [y](vbscript:msgbox) ![z](data:image/png;base64,AA) " \
           "[w](file:///etc/passwd) <javascript:alert(2)>\n"
    post = check_post(text)
    assert [link.url for link in post.links] == [
        "javascript:alert(1)", "vbscript:msgbox", "data:image/png;base64,AA",
        "file:///etc/passwd", "javascript:alert(2)"]


def test_crlf_tabs_emoji_do_not_shift_anything() -> None:
    base = ("- a\t[l1](u1)\n\n> 😀😀 [l2](<u 2>)\n>\ttext https://x.org/p\n\n"
            "|\ta | [l3](u3) |\n|---|---|\n")
    for text in (base, base.replace("\n", "\r\n"), base.replace("\n", "\r")):
        post = check_post(text)
        assert [text[link.start:link.end] for link in post.links] == [
            "[l1](u1)", "[l2](<u 2>)", "https://x.org/p", "[l3](u3)"]


def test_tab_expansion_and_lazy_continuation() -> None:
    text = ">\t\t[a](b)\n>\t[c](d) lazy\n[e](f)\n\n-\t[g](h)\n\tmore [i](j)\n"
    post = check_post(text)
    assert [text[link.start:link.end] for link in post.links] == \
        ["[c](d)", "[e](f)", "[g](h)", "[i](j)"]


def test_table_cells_with_escaped_pipes() -> None:
    text = "| a | b |\n|---|---|\n| x \\| [l](u) | `c\\|d` [m](v) |\n"
    post = check_post(text)
    assert [text[link.start:link.end] for link in post.links] == ["[l](u)", "[m](v)"]


def test_front_matter_yaml_and_toml() -> None:
    yaml = "---\ntitle: \"My post\"\ntags: [a]\n---\n# Heading\n[x](y)\n"
    post = check_post(yaml)
    assert post.front_matter == {"title": "My post", "tags": "[a]"}
    assert post.title == "My post"
    assert post.body_start == yaml.index("# Heading")
    assert post.links[0].line == 6
    toml = "+++\r\ntitle = 'T'\r\n+++\r\n[x](https://y.example)\r\n"
    post = check_post(toml)
    assert post.front_matter == {"title": "T"} and post.links[0].line == 4
    no_fm = "---\nnot closed [x](y)\n"
    assert check_post(no_fm).body_start == 0


def test_title_falls_back_to_first_h1_and_headings_are_listed() -> None:
    text = "Intro [a](b)\n\n## Sub\n\n# Main *one*\n\nSetext\n===\n\n[c](d)\n"
    post = check_post(text)
    assert post.title == "Main one"
    assert [(h.level, h.text, h.line) for h in post.headings] == [
        (2, "Sub", 3), (1, "Main one", 5), (1, "Setext", 7)]
    assert post.links[0].context.heading == ""
    assert post.links[1].context.heading == "Setext"
    assert text[post.headings[0].start:post.headings[0].end] == "## Sub"


def test_ignore_markers() -> None:
    text = ("<!-- linkwriter-ignore: insecure-http, generic-anchor -->\n"
            "[here](http://a.example)\n\nSee <!-- linkwriter-ignore --> [x](y) and [z](w).\n\n"
            "```\n<!-- linkwriter-ignore: in-code -->\n```\n"
            "<!-- linkwriter-ignore: trailing -->\n")
    post = check_post(text)
    markers = post.ignore_markers
    assert [m.rules for m in markers] == [("insecure-http", "generic-anchor"), (), ("trailing",)]
    assert [m.link_index for m in markers] == [0, 1, None]
    assert text[markers[1].start:markers[1].end] == "<!-- linkwriter-ignore -->"


def test_definitions_used_and_duplicates() -> None:
    text = "[a]\n\n[a]: /one\n[A]: /two\n[b]: /three \"t\"\n> [c]: </four>\n"
    post = check_post(text)
    assert [(d.label, d.url, d.used) for d in post.definitions] == [
        ("a", "/one", True), ("A", "/two", False), ("b", "/three", False),
        ("c", "/four", False)]
    assert post.definitions[2].title == "t"
    assert text[post.definitions[2].start:post.definitions[2].end] == '[b]: /three "t"'


def test_word_count_skips_code_and_urls() -> None:
    text = "One two `three four` https://x.example five [six seven](u).\n\n```\nnot words\n```\n"
    assert parse_post(text).word_count == 5


def test_utf16_offsets_with_emoji_before_link() -> None:
    text = "😀 A 👍🏽 [link](https://e.example) then 🎉<https://f.example>\n"
    post = check_post(text)
    umap = Utf16Map(text)
    encoded = text.encode("utf-16-le")
    for link in post.links:
        a, b = umap.to_utf16(link.start), umap.to_utf16(link.end)
        assert encoded[2 * a:2 * b].decode("utf-16-le") == text[link.start:link.end]
        assert umap.from_utf16(a) == link.start and umap.from_utf16(b) == link.end
    assert umap.to_utf16(post.links[0].start) == post.links[0].start + 3


def test_empty_and_whitespace_documents() -> None:
    for text in ("", "\n", "   ", "\ufeff", "---\n---\n", "\r\n\r\n"):
        assert check_post(text).links == []
