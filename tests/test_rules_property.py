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


PARAM_NAMES = st.sampled_from(["utm_source", "UTM_Medium", "fbclid", "gclid", "mc_eid", "id", "q",
                               "page", "lang", "ref_src", "si", "utm", "sort"])
PARAM_VALUES = st.sampled_from(["", "1", "a%20b", "x&amp;y", "abc", "=", "%26"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), min_size=1, max_size=6),
    st.sampled_from(["", "#frag", "#utm_source=x"]),
    st.sampled_from(["inline", "bare", "auto", "html"]),
)
def test_tracking_fix_removes_exactly_the_trackers(
    params: list[tuple[str, str]], fragment: str, form: str
) -> None:
    from linkwriter.core.rules.trust import is_tracking_param
    from linkwriter.core.rules.urls import target_of

    sep = "&amp;" if form == "html" else "&"
    query = sep.join(f"{name}={value}" for name, value in params)
    url = f"https://example.com/path?{query}{fragment}"
    md = {
        "inline": f"Read [the page]({url}) now.\n",
        "bare": f"Read {url} now.\n",
        "auto": f"Read <{url}> now.\n",
        "html": f'Read <a href="{url}">the page</a> now.\n',
    }[form]
    post = parse(md)
    if len(post.links) != 1:
        return  # the generated text did not make exactly one link (e.g. bare URL cut short)
    link = post.links[0]
    before = target_of(link)
    params = [p for p in before.query.split("&") if p]
    keep = [p for p in params if not is_tracking_param(p.split("=", 1)[0], "example.com")]
    found = [f for f in check(md) if f.rule == "tracking-params"]
    if keep == params:
        assert not found
        return
    assert len(found) == 1 and found[0].fixes
    fix = found[0].fixes[0]
    assert link.dest_start <= fix.start <= fix.end <= link.dest_end
    fixed = fix.apply(md)
    after_post = parse(fixed)
    assert len(after_post.links) == 1
    after = target_of(after_post.links[0])
    # Same page, same fragment, the other parameters as they were and in order.
    assert (after.host, after.path, after.fragment) == (before.host, before.path, before.fragment)
    assert [p for p in after.query.split("&") if p] == keep
    assert not [f for f in check(fixed) if f.rule == "tracking-params"]
