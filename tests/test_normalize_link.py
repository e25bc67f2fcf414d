"""The extraction parser's shortcut for normalizeLink must agree with markdown-it-py's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from linkwriter.core.mdparser import normalize_link


def _stock_only(url: str) -> str:
    return normalizeLink(url)


def _never(url: str) -> str:
    raise AssertionError(f"shortcut expected for {url!r}")


# Characters around which mdurl's parse, punycode and encode behave differently.
TRICKY = st.sampled_from(list("aZ09.-_:/?#@%[]!$&'()*+,;=~ \t\\^`{}|<>\"") + [
    "%2", "%41", "%zz", "//", "http://", "https://", "HTTP://", "mailto:", ":80", ":",
    "ü", "é", "\u3002", "\uff0e", "xn--", "😀", "\ud800", "\u00a0", "\u2028", "a" * 64, "."])
HOST = st.lists(st.from_regex(r"[A-Za-z0-9-]{0,64}", fullmatch=True), min_size=1, max_size=5)


@settings(max_examples=1000, deadline=None)
@given(st.lists(TRICKY, max_size=12).map("".join))
def test_agrees_on_arbitrary_strings(url: str) -> None:
    assert normalize_link(url, _stock_only) == normalizeLink(url)


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(["http://", "https://", "//", "", "Https://", "ftp://"]), HOST,
       st.sampled_from(["", ":", ":8080", ":x", "."]),
       st.lists(TRICKY, max_size=8).map("".join),
       st.sampled_from(["", "/", "?", "#", "/p?q=1#f", "@", ";"]))
def test_agrees_on_url_shaped_strings(scheme: str, labels: list[str], port: str, tail: str,
                                      sep: str) -> None:
    url = scheme + ".".join(labels) + port + sep + tail
    assert normalize_link(url, _stock_only) == normalizeLink(url)


def test_common_urls_take_the_shortcut() -> None:
    for url in ("https://github.com/nodejs/node/pull/28892", "http://a-b.example:8080/x?y=1#z",
                "/docs/api/fs.html#fs_fs_readfile", "#notable-changes", "../img/a%20b.png",
                "https://medium.com/@user/post-1", "https://x.example/a;b,c!d*e'(f)~g$h+i=j"):
        assert normalize_link(url, _never) == url == normalizeLink(url)
    for url in ("https://bücher.example/", "https://x.example/a b", "https://x.example/[1]",
                "mailto:a@b.example", "https://x.example:/p", "//x.example/p", "HTTP://X/"):
        assert normalize_link(url, lambda u: "slow") == "slow"
