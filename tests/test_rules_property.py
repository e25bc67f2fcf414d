"""Property tests: no input makes the rules crash, and every fix is an exact, local edit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_support import check, parse

from linkwriter.core.config import Config

URL_PARTS = st.sampled_from([
    "https://", "http://", "//", "javascript:", "mailto:", "ftp://", "www.", "", "xn--80ak6aa92e",
    "example.com", "exa mple.com", "paypa1.com", "bit.ly", "192.168.0.1", "[::1]", "[::1",
    "localhost", ":99999", ":80", "@", "user:pw@", "/path", "/a b", "?", "&", "&amp;", "=",
    "utm_source=x", "fbclid=1", "tag=me-20", "ref=abc", "#frag", "#", "\\", "%20", "аррӏе", "ö",
    ".tk", ".", "..", "amzn.to", "%", "(", ")", "<", ">",
])
URLS = st.lists(URL_PARTS, min_size=0, max_size=8).map("".join)
ANCHORS = st.sampled_from(["here", "click here", "", "the guide", "https://example.com",
                           "a b c d e f g h i j k l m n o p", "hier", "Node.js", "![x](y.png)"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        url, anchor = draw(URLS), draw(ANCHORS)
        form = draw(st.sampled_from(["inline", "angle", "auto", "bare", "image", "html", "ref"]))
        pieces.append({
            "inline": f"[{anchor}]({url})",
            "angle": f"[{anchor}](<{url}>)",
            "auto": f"<{url}>",
            "bare": url,
            "image": f"![{anchor}]({url})",
            "html": f'<a href="{url}">{anchor}</a>',
            "ref": f"[{anchor}][r{len(pieces)}]\n\n[r{len(pieces)}]: {url}\n",
        }[form])
        pieces.append(draw(st.sampled_from([" ", " and ", "\n", "\n\n", ", affiliate ", "\r\n"])))
    return "".join(pieces)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_rules_never_crash_and_fixes_are_local(text: str) -> None:
    post = parse(text)
    config = Config(trusted=["example.com"], blocked=["bit.ly"], partners=["paypa1.com"])
    for f in check(text, config):
        assert 0 <= f.start <= f.end <= len(text)
        if f.link_index is not None:
            assert 0 <= f.link_index < len(post.links)
        for fix in f.fixes:
            assert 0 <= fix.start <= fix.end <= len(text)
            fixed = fix.apply(text)
            # Only the fix's span changed: the text before and after it is untouched.
            assert fixed[: fix.start] == text[: fix.start]
            assert fixed[len(fixed) - (len(text) - fix.end) :] == text[fix.end :]
            if f.link_index is not None and f.rule not in ("duplicate-link",):
                link = post.links[f.link_index]
                inside_dest = link.dest_start <= fix.start and fix.end <= link.dest_end
                after_link = fix.start == fix.end >= link.end  # a disclosure after it
                assert inside_dest or after_link, (f.rule, fix)
