"""The bare-URL scanner must report exactly what linkify-it-py reports for the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkwriter.core.bareurl import BareUrlScanner
from linkwriter.core.extract import parser


def _scanner() -> BareUrlScanner:
    return BareUrlScanner(parser().linkify)


def _reference(text: str) -> list[tuple[int, int, str]]:
    return [(m.index, m.last_index, m.url) for m in parser().linkify.match(text) or ()]


def _ours(text: str) -> list[tuple[int, int, str]]:
    return [(a, b, url) for a, b, url, _schema, _text in _scanner().find(text)]


CASES = [
    "see www.example.com, and http://x.org/a.b?c=d#e.", "node.js io.js Socket.io e.g. i.e.",
    "mail me@example.org or mailto:you@x.io;", "(https://a.b/c) [www.d.e] {http://f.g}",
    "https://example.com/path_(with)_parens.", "trailing www.x.com/a, www.y.com.",
    "ftp://f.example/x //proto.relative/x http://localhost:3000/y", "a.b.c.d 1.2.3.4 v1.2.3",
    "xn--80ak6aa92e.com пример.рф http://пример.рф/путь", "user@host user@host.c0m",
    "https://x.com/a*b* **www.bold.com** _www.u.org_", "<www.angle.com> «www.quote.com»",
    "http://a.com\u00a0http://b.com\u3000www.c.org", "", "no links here at all.",
    "😀.xn--p1ai", "shop.xn--80asehdb and café.xn--p1ai/path",  # punycode TLDs (found by CI)
]


@pytest.mark.parametrize("text", CASES)
def test_agrees_with_linkify_it(text: str) -> None:
    assert _ours(text) == _reference(text)


def test_rules_out_text_without_candidates() -> None:
    scanner = _scanner()
    assert not scanner.may_contain("Node.js and io.js, e.g. v1.2.3 - plain prose.")
    assert scanner.may_contain("see example.com")
    assert scanner.may_contain("a://b") and scanner.may_contain("x@y")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "www.", "http://", "https://", "//", "mailto:", "@", ".", ".com", ".org", ".io", ".js",
    ".рф", "a", "b1", "-", "_", "(", ")", "[", "]", "'", '"', ",", ";", "!", "?", "*", ":",
    "/", "#", "%20", " ", "\n", "\u00a0", "😀", "é", "localhost", "127.0.0.1", "xn--p1ai",
]), max_size=25).map("".join))
def test_agrees_with_linkify_it_on_generated_text(text: str) -> None:
    assert _ours(text) == _reference(text)


@pytest.mark.parametrize(
    "doc",
    [
        'sub.domain.io<a href="h.html"> ',  # ".io" before "<" fails the whole block's pretest
        'sub.domain.io <a href="h.html"> ',
        "see example.com<br> and www.b.org",
    ],
)
def test_whole_block_pretest_matches_markdown_it(doc: str) -> None:
    from extract_oracle import rendered_hrefs

    from linkwriter.core.extract import parse_post

    assert [link.href for link in parse_post(doc).links] == rendered_hrefs(doc)
