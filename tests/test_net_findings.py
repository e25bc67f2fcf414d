"""network_findings: rule ids, severities, messages and exact Fix edits on the link's span."""

from __future__ import annotations

import re

from net_servers import page, serve
from test_net_checker import fast_config

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Link, LinkKind, Severity, apply_fixes
from linkwriter.core.net import NETWORK_RULES, NetworkChecker, merge_insecure_http, network_findings
from linkwriter.core.net import report as R
from linkwriter.core.net.findings import urls_for_post
from linkwriter.core.net.report import Hop, Snapshot, UrlReport
from linkwriter.core.post import Post

ISSUE_IDS = {
    "broken-link",
    "tls-error",
    "timeout",
    "redirect-loop",
    "redirected",
    "cross-domain-redirect",
    "soft-404",
    "missing-fragment",
    "blocked-by-site",
    "unsafe-site",
    "content-changed",
    "insecure-http",
}


def make_post(text: str) -> Post:
    """Inline links [text](url) built by hand (the extractor lives elsewhere)."""
    links = []
    for m in re.finditer(r"(!?)\[([^\]]*)\]\((<[^>]*>|[^)\s]+)\)", text):
        dest = m.group(3)
        url = dest[1:-1] if dest.startswith("<") else dest
        line = text.count("\n", 0, m.start()) + 1
        links.append(
            Link(
                kind=LinkKind.IMAGE if m.group(1) else LinkKind.INLINE,
                url=url,
                href=url,
                text=m.group(2),
                title=None,
                start=m.start(),
                end=m.end(),
                dest_start=m.start(3),
                dest_end=m.end(3),
                label_start=m.start(2),
                label_end=m.end(2),
                line=line,
                column=m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1,
                is_image=bool(m.group(1)),
            )
        )
    return Post(text=text, links=links)


def test_rule_table_matches_issue():
    assert {r.id for r in NETWORK_RULES} == ISSUE_IDS
    assert all(r.category is Category.TRUST for r in NETWORK_RULES)
    sev = {r.id: r.severity for r in NETWORK_RULES}
    assert sev["broken-link"] is Severity.ERROR and sev["timeout"] is Severity.WARNING
    assert sev["blocked-by-site"] is Severity.INFO and sev["redirected"] is Severity.INFO
    assert sev["cross-domain-redirect"] is Severity.WARNING and sev["soft-404"] is Severity.ERROR


def _one(text: str, rep: UrlReport, config: Config | None = None):
    post = make_post(text)
    return post, network_findings(post, {rep.url: rep}, config or Config())


def test_each_verdict_maps_to_its_rule():
    cases = {
        R.BROKEN: "broken-link",
        R.TLS_ERROR: "tls-error",
        R.TIMEOUT: "timeout",
        R.REDIRECT_LOOP: "redirect-loop",
        R.SOFT_404: "soft-404",
        R.BLOCKED: "blocked-by-site",
    }
    for verdict, rule in cases.items():
        _, found = _one(
            "See [x](https://a.example/p).", UrlReport(url="https://a.example/p", verdict=verdict)
        )
        assert [f.rule for f in found] == [rule], verdict
        assert found[0].link_index == 0 and found[0].data["verdict"] == verdict
    for verdict in (R.OFFLINE, R.EXCLUDED, R.PRIVATE, R.CANCELLED, R.OK):
        assert (
            _one("[x](https://a.example/p)", UrlReport(url="https://a.example/p", verdict=verdict))[
                1
            ]
            == []
        )


def test_broken_link_archived_copy_fix_is_exact():
    text = "Read [the post](https://gone.example/a) today.\n"
    rep = UrlReport(
        url="https://gone.example/a",
        verdict=R.BROKEN,
        error="HTTP 404",
        archived_url="https://web.archive.org/web/2020/https://gone.example/a:)",
    )
    post, (f,) = _one(text, rep)
    assert f.rule == "broken-link" and f.severity is Severity.ERROR and "HTTP 404" in f.message
    (fix,) = f.fixes
    link = post.links[0]
    assert (fix.start, fix.end) == (link.dest_start, link.dest_end)
    assert apply_fixes(text, [fix]) == (
        "Read [the post](https://web.archive.org/web/2020/https://gone.example/a:%29) today.\n"
    )


def test_redirect_fixes_keep_the_fragment_and_angle_brackets():
    text = "A [doc](<http://a.example/old#part>) here."
    rep = UrlReport(
        url="http://a.example/old#part",
        fetch_url="http://a.example/old",
        final_url="https://a.example/new",
        redirects=[Hop("http://a.example/old", 301)],
        permanent_redirect=True,
    )
    _, (f,) = _one(text, rep)
    assert f.rule == "redirected" and f.severity is Severity.INFO
    assert apply_fixes(text, list(f.fixes)) == "A [doc](<https://a.example/new#part>) here."
    rep.cross_domain = True
    rep.final_url = "https://parked.example/"
    _, (f,) = _one(text, rep)
    assert f.rule == "cross-domain-redirect" and "parked.example" in f.message
    rep.cross_domain, rep.permanent_redirect = False, False  # temporary, same site: fine
    assert _one(text, rep)[1] == []


def test_missing_fragment_content_changed_unsafe_and_https():
    text = "[a](http://a.example/p#gone)"
    snap = Snapshot("u", "Old title", "", "f1", 0, "2026-01-02T00:00:00+00:00")
    rep = UrlReport(
        url="http://a.example/p#gone",
        fetch_url="http://a.example/p",
        final_url="http://a.example/p",
        fragment="gone",
        fragment_found=False,
        content_changed=True,
        previous_snapshot=snap,
        snapshot=Snapshot("u", "New title", "", "f2", 0, "2026-11-27T00:00:00+00:00"),
        threats=["MALWARE"],
        https_url="https://a.example/p#gone",
    )
    _, found = _one(text, rep)
    by_rule = {f.rule: f for f in found}
    assert set(by_rule) == {"missing-fragment", "content-changed", "unsafe-site", "insecure-http"}
    assert apply_fixes(text, list(by_rule["missing-fragment"].fixes)) == "[a](http://a.example/p)"
    assert (
        apply_fixes(text, list(by_rule["insecure-http"].fixes)) == "[a](https://a.example/p#gone)"
    )
    assert "2026-01-02" in by_rule["content-changed"].message
    assert (
        by_rule["unsafe-site"].severity is Severity.ERROR
        and "malware" in by_rule["unsafe-site"].message
    )


def test_config_ignore_and_severity_override():
    config = Config()
    config.ignore = ["timeout"]
    config.severity = {"broken-link": "warning"}
    rep_t = UrlReport(url="https://a.example/t", verdict=R.TIMEOUT)
    rep_b = UrlReport(url="https://a.example/b", verdict=R.BROKEN)
    post = make_post("[t](https://a.example/t) [b](https://a.example/b)")
    found = network_findings(post, {rep_t.url: rep_t, rep_b.url: rep_b}, config)
    assert [(f.rule, f.severity) for f in found] == [("broken-link", Severity.WARNING)]


def test_merge_prefers_the_verified_https_fix():
    from linkwriter.core.model import Finding, Fix

    offline = Finding("insecure-http", Category.TRUST, Severity.WARNING, "plain", 0, 5, (), 0)
    online = Finding(
        "insecure-http",
        Category.TRUST,
        Severity.WARNING,
        "verified",
        0,
        5,
        (Fix("Use https", 0, 4, "https"),),
        0,
    )
    assert merge_insecure_http([offline, online]) == [online]
    assert merge_insecure_http([offline]) == [offline]


def test_end_to_end_post_against_loopback():
    routes = {
        "/ok": lambda h: (200, page("Fine", ids=("here",))),
        "/old": lambda h: (301, b"", {"Location": "/ok"}),
        "/wall": lambda h: (403, b""),
        "*": lambda h: (404, b""),
    }
    with serve(routes) as s:
        text = (
            f"Intro [fine]({s.url('/ok#here')}), [moved]({s.url('/old')}), "
            f"[dead]({s.url('/dead')}), [wall]({s.url('/wall')}), "
            f"[again]({s.url('/ok#nowhere')}) and [mail](mailto:a@b.example).\n"
        )
        post = make_post(text)
        urls = urls_for_post(post)
        assert "mailto:a@b.example" not in urls
        with NetworkChecker(fast_config()) as checker:
            reports = checker.check(urls)
        found = network_findings(post, reports, Config())
    assert [(f.link_index, f.rule) for f in found] == [
        (1, "redirected"),
        (2, "broken-link"),
        (3, "blocked-by-site"),
        (4, "missing-fragment"),
    ]
    fixed = apply_fixes(text, [f.fixes[0] for f in found if f.fixes])
    assert f"[moved]({s.url('/ok')})" in fixed and f"[again]({s.url('/ok')})" in fixed


def test_fixes_on_parsed_post_reference_autolink_and_bracketed():
    from linkwriter.core.extract import parse_post

    routes = {
        "/new": lambda h: (200, page("New home", ids=("sec",))),
        "/old": lambda h: (301, b"", {"Location": "/new"}),
        "*": lambda h: (404, b""),
    }
    with serve(routes) as s:
        old = s.url("/old")
        text = f"One [ref][r] two <{old}> three [br](<{old}#sec>) four {old} five.\n\n[r]: {old}\n"
        post = parse_post(text)
        with NetworkChecker(fast_config()) as checker:
            reports = checker.check(urls_for_post(post))
        found = network_findings(post, reports, Config())
    assert [f.rule for f in found] == ["redirected"] * 4
    assert all(f.fixes[0].title == "Use the final URL" for f in found)
    new = s.url("/new")
    fixed = apply_fixes(text, [f.fixes[0] for f in found])
    assert fixed == (
        f"One [ref][r] two <{new}> three [br](<{new}#sec>) four {new} five.\n\n[r]: {new}\n"
    )


def test_fix_round_trip_property():
    """Whatever URL a server redirects to, the fix edits only the destination and Markdown reads
    back exactly that URL."""
    from urllib.parse import unquote

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from linkwriter.core.extract import parse_post

    styles = {
        "inline": "Read [the text]({u}) now.\n",
        "bracketed": "Read [the text](<{u}>) now.\n",
        "reference": "Read [the text][r] now.\n\n[r]: {u}\n",
        "autolink": "Read <{u}> now.\n",
    }
    path = st.text(alphabet="abcXYZ019-_.~()!$&'*+,;=: ", min_size=0, max_size=30)

    @settings(max_examples=150, deadline=None)
    @given(style=st.sampled_from(sorted(styles)), tail=path)
    def run(style, tail):
        if style == "autolink":
            tail = tail.replace(" ", "")
        final = "https://final.example/" + tail
        orig = "http://orig.example/a"
        text = styles[style].format(u=orig)
        post = parse_post(text)
        (link,) = post.links
        rep = UrlReport(
            url=orig,
            fetch_url=orig,
            final_url=final,
            redirects=[Hop(orig, 301)],
            permanent_redirect=True,
        )
        (finding,) = network_findings(post, {orig: rep}, Config())
        (fix,) = finding.fixes
        fixed = apply_fixes(text, [fix])
        assert fixed[: fix.start] == text[: fix.start] and fixed.endswith(text[fix.end :])
        (new,) = parse_post(fixed).links
        assert unquote(new.href) == unquote(final.replace(" ", "%20"))

    run()


def test_settle_keeps_the_duplicate_that_carries_fixes():
    from linkwriter.core.analysis import settle
    from linkwriter.core.extract import parse_post
    from linkwriter.core.model import Finding, Fix

    post = parse_post("[a](http://a.example/)\n")
    link = post.links[0]
    plain = Finding(
        "insecure-http", Category.TRUST, Severity.WARNING, "offline", link.start, link.end, (), 0
    )
    verified = Finding(
        "insecure-http",
        Category.TRUST,
        Severity.WARNING,
        "online",
        link.start,
        link.end,
        (Fix("Use https", link.dest_start, link.dest_start + 4, "https"),),
        0,
    )
    assert settle(post, [plain, verified], Config()) == [verified]
    assert settle(post, [verified, plain], Config()) == [verified]
    assert settle(post, [plain, plain], Config()) == [plain]
