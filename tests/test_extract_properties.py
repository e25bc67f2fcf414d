"""Property tests: documents assembled from link constructs and prose keep exact spans and
agree with markdown-it-py's own rendering."""

from __future__ import annotations

from extract_checks import check_post
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORDS = st.sampled_from([
    "hello", "world", "😀", "naïve", "日本語", "a.b", "x", "end.", "Why?", "(paren)", "*em*",
    "_u_", "**strong**", "~~del~~", "`code`", "`[a](b)`", "\\[esc]", "&amp;", "&copy;", "!",
    "[", "]", "(", ")", "<", ">", "|", "\\", "*", "~", "#", ":", "@", "\t", "  ", "e@x.co",
    "Socket.io", "node.js", "www", "http:", "//", "🎉🎉", "\u00a0", "Ä",
])
URLS = st.sampled_from([
    "https://example.com/a?b=1&c=2#f", "http://x.org", "/rel/path", "page.html", "#frag",
    "https://例え.jp/パス", "javascript:alert(1)", "data:text/plain,hi", "file:///etc/x",
    "mailto:a@b.co", "", "a(b)c", "https://e.com/a_b*", "www.example.com/x", "http://[::1]/",
    "https://e.com/%20x", "<with space>", "foo\\)bar",
])
BARE = st.sampled_from([
    "https://bare.example/path?x=1", "www.bare.org", "http://a.b/c).", "www.x.com/(p)q",
    "https://x.y/z*", "user@mail.example", "mailto:m@x.io", "ftp://f.example/x",
    "https://ex.com/a.", "www.t.co,", "http://e.com/?q=(a", "https://e.com\\x",
    "http://localhost:8080/p", "sub.domain.io", "https://xn--80ak6aa92e.com/",
])
TITLES = st.sampled_from(["", ' "t"', " 'single'", " (paren)", ' "with \\" q"'])


@st.composite
def inline_link(draw: st.DrawFn) -> str:
    text = draw(st.lists(WORDS, min_size=0, max_size=3).map(" ".join))
    url = draw(URLS)
    dest = url if not url.startswith("<") else url
    return f"[{text}]({dest}{draw(TITLES)})"


@st.composite
def image(draw: st.DrawFn) -> str:
    alt = draw(st.lists(WORDS, max_size=2).map(" ".join))
    return f"![{alt}]({draw(URLS)}{draw(TITLES)})"


LABELS = st.sampled_from(["foo", "Foo", "bar baz", "ünï", "1", "x y"])


@st.composite
def reference(draw: st.DrawFn) -> str:
    label = draw(LABELS)
    style = draw(st.sampled_from(["full", "collapsed", "shortcut"]))
    if style == "full":
        return f"[{draw(WORDS)}][{label}]"
    if style == "collapsed":
        return f"[{label}][]"
    return f"[{label}]"


AUTOLINK = st.sampled_from([
    "<https://auto.example/x>", "<me@example.org>", "<irc://x:1/y>", "<javascript:x()>",
    "<a+b:c>", "<http://e.com/\\[>",
])
HTML = st.sampled_from([
    '<a href="h.html">', "</a>", '<img src="i.png" alt="pic">', "<a href='x?a=1&amp;b=2'>",
    "<A HREF=up.html>", "<a name=x>", "<span>", "<!-- c [x](y) -->",
    "<!-- linkwriter-ignore: insecure-http -->", '<img alt="a" src=\'s.png\'/>',
])


def inline_piece() -> st.SearchStrategy[str]:
    return st.one_of(WORDS, WORDS, WORDS, inline_link(), image(), reference(), AUTOLINK,
                     BARE, HTML)


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(inline_piece(), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from([" ", " ", "", "\n", "  \n", "\t"]),
                         min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps, strict=True)).strip("\n") or "x"


@st.composite
def block(draw: st.DrawFn) -> str:
    para = draw(paragraph())
    kind = draw(st.sampled_from([
        "para", "para", "quote", "list", "olist", "heading", "setext", "table", "fence",
        "indented", "definition", "html_block", "nested",
    ]))
    lines = para.split("\n")
    if kind == "quote":
        return "\n".join(draw(st.sampled_from(["> ", ">", ">\t", ""])) + ln for ln in lines)
    if kind == "list":
        return "\n".join(("- " if i == 0 else draw(st.sampled_from(["  ", "", "\t"]))) + ln
                         for i, ln in enumerate(lines))
    if kind == "olist":
        return "\n".join(("1. " if i == 0 else "   ") + ln for i, ln in enumerate(lines))
    if kind == "nested":
        return "\n".join(("> - " if i == 0 else ">   ") + ln for i, ln in enumerate(lines))
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + lines[0] + draw(
            st.sampled_from(["", " #", " ##  "]))
    if kind == "setext":
        return para + "\n" + draw(st.sampled_from(["===", "---"]))
    if kind == "table":
        cells = [ln.replace("|", "\\|") or "x" for ln in lines[:3]]
        head = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |"
        sep = "|" + "|".join("---" for _ in cells) + "|"
        return head + "\n" + sep + "\n| " + " | ".join(cells) + " |"
    if kind == "fence":
        return "```\n" + para + "\n```"
    if kind == "indented":
        return "\n".join("    " + ln for ln in lines)
    if kind == "definition":
        return f"[{draw(LABELS)}]: {draw(URLS) or '<>'}{draw(TITLES)}"
    if kind == "html_block":
        return '<div>\n<a href="blk.html">b</a> <img src="blk.png">\n</div>'
    return para


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=6))
    text = "\n\n".join(blocks) + draw(st.sampled_from(["", "\n"]))
    if draw(st.booleans()):
        text = "---\ntitle: T\n---\n" + text
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return text.replace("\n", newline)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document())
def test_generated_documents_match_rendering(text: str) -> None:
    check_post(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]()<>!*_`\\ \n\t:/.@wahtps|-#>\"'&;😀~")),
               max_size=60))
def test_arbitrary_markup_soup(text: str) -> None:
    check_post(text)
