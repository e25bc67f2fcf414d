"""Trust rules on real Markdown: each rule fires on the bad case and stays quiet on good ones."""

from __future__ import annotations

import pytest
from rules_support import apply_all, check, only, parse, rules_of

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Severity

# ----------------------------------------------------------------------------- unsafe-scheme


@pytest.mark.parametrize(
    "md",
    [
        "Run [the demo](javascript:alert(1)) now.",
        "Old [macro](vbscript:msgbox) here.",
        "See [my notes](file:///home/sam/notes.html) for more.",
        "A [payload](data:text/html;base64,PHNjcmlwdD4=) link.",
        "Hidden [demo](JavaScript:void(0)) link.",
    ],
)
def test_unsafe_scheme_fires(md: str) -> None:
    found = only(md, "unsafe-scheme")
    assert len(found) == 1
    f = found[0]
    assert f.severity is Severity.ERROR and f.category is Category.TRUST
    assert f.link_index == 0
    post = parse(md)
    assert (f.start, f.end) == (post.links[0].start, post.links[0].end)
    assert "https://" in f.message  # says what to do


@pytest.mark.parametrize(
    "md",
    [
        "Read [the guide](https://example.com/guide).",
        "Mail [me](mailto:sam@example.com) any time.",
        "A tiny inline image ![red dot](data:image/png;base64,iVBORw0KGgo=) is fine.",
        "See [the section](#setup) and [the next post](../next/).",
    ],
)
def test_unsafe_scheme_quiet(md: str) -> None:
    assert "unsafe-scheme" not in rules_of(md)


# ----------------------------------------------------------------------------- malformed-url


@pytest.mark.parametrize(
    ("md", "needle"),
    [
        ("See [the docs](https:///docs/) today.", "no host"),
        ("See [the docs](https://example.com:99999/) today.", "port"),
        ("See [the docs](https://example.com:http/) today.", "port"),
        ("See [the docs](<https://exa mple.com/docs>) today.", "spaces"),
        ("See [the docs](https://example..com/) today.", "empty label"),
        ("See [the docs](http://[::1/) today.", "parsed"),
    ],
)
def test_malformed_fires(md: str, needle: str) -> None:
    found = only(md, "malformed-url")
    assert len(found) == 1, check(md)
    assert needle in found[0].message
    assert found[0].severity is Severity.ERROR


def test_malformed_spaces_in_path_fix_encodes_them() -> None:
    md = "Read [the paper](<https://example.com/my paper.pdf>) first.\n"
    found = only(md, "malformed-url")
    assert len(found) == 1
    fixed = apply_all(md, found)
    assert fixed == "Read [the paper](<https://example.com/my%20paper.pdf>) first.\n"
    assert "malformed-url" not in rules_of(fixed)


def test_malformed_missing_scheme_fix() -> None:
    md = "Visit [the shop](www.example.com/shop) today.\n"
    found = only(md, "malformed-url")
    assert len(found) == 1
    fixed = apply_all(md, found)
    assert fixed == "Visit [the shop](https://www.example.com/shop) today.\n"
    assert "malformed-url" not in rules_of(fixed)


def test_malformed_missing_colon_fix() -> None:
    md = "Visit [the shop](https//example.com/shop) today.\n"
    found = only(md, "malformed-url")
    fixed = apply_all(md, found)
    assert fixed == "Visit [the shop](https://example.com/shop) today.\n"
    assert "malformed-url" not in rules_of(fixed)


@pytest.mark.parametrize(
    "md",
    [
        "Read [the intro](intro.md) and [the setup](#setup).",
        "Read [the intro](../posts/intro/) and [the image](/img/a.png).",
        "Mail [me](mailto:sam@example.com).",
        "Read [the docs](https://example.com:8443/docs?q=a%20b#x).",
        "Read [IPv6](http://[2001:db8::1]:8080/x).",
        "A bare link https://example.com/path?x=1 in text.",
        "Read [the readme](readme.md) here.",
    ],
)
def test_malformed_quiet(md: str) -> None:
    assert "malformed-url" not in rules_of(md)


# ----------------------------------------------------------------------------- insecure-http


def test_insecure_http_fires_without_fix() -> None:
    md = "The [old forum](http://forum.example.com/thread/1) is archived.\n"
    found = only(md, "insecure-http")
    assert len(found) == 1
    assert found[0].fixes == ()  # needs the network to know https works
    assert found[0].severity is Severity.WARNING
    assert "https" in found[0].message


def test_insecure_http_image() -> None:
    md = "![A chart of rising prices](http://img.example.com/chart.png)\n"
    assert len(only(md, "insecure-http")) == 1


@pytest.mark.parametrize(
    "md",
    [
        "The [new forum](https://forum.example.com/thread/1) is open.",
        "My [dev server](http://localhost:8000/) runs locally.",  # local-address instead
        "Mail [me](mailto:sam@example.com).",
    ],
)
def test_insecure_http_quiet(md: str) -> None:
    assert "insecure-http" not in rules_of(md)


# ----------------------------------------------------------------------------- local-address


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:3000/admin",
        "http://127.0.0.1/notes",
        "http://192.168.1.20/notes/bake.html",
        "http://10.0.0.5/",
        "http://172.16.4.2/",
        "http://169.254.10.1/",
        "http://[::1]:8080/",
        "http://[fe80::1]/",
        "https://nas.local/photos",
        "https://wiki.internal/page",
        "https://printer.lan/",
        "https://router.home/",
        "https://app.localhost/",
        "https://intranet/",
        "http://0.0.0.0:8000/",
    ],
)
def test_local_address_fires(url: str) -> None:
    md = f"My [notes]({url}) live at home.\n"
    found = only(md, "local-address")
    assert len(found) == 1, check(md)
    assert found[0].severity is Severity.ERROR
    assert "readers" in found[0].message or "reader" in found[0].message


@pytest.mark.parametrize(
    "url",
    ["https://example.com/", "https://local.example.com/", "https://home.example.org/x",
     "https://8.8.8.8/", "../local/page.html"],
)
def test_local_address_quiet(url: str) -> None:
    assert "local-address" not in rules_of(f"See [the page]({url}).")


# ----------------------------------------------------------------------------- ip-host


@pytest.mark.parametrize("url", ["https://93.184.216.34/page", "http://[2606:4700::1111]/",
                                 "http://1572395042/"])
def test_ip_host_fires(url: str) -> None:
    found = only(f"See [the mirror]({url}).", "ip-host")
    assert len(found) == 1
    assert "name" in found[0].message


@pytest.mark.parametrize("url", ["https://example.com/", "http://192.168.0.1/"])
def test_ip_host_quiet(url: str) -> None:
    assert "ip-host" not in rules_of(f"See [the mirror]({url}).")


# ----------------------------------------------------------------------------- userinfo-in-url


def test_userinfo_disguise_fires_and_fix_reveals_real_host() -> None:
    md = "Log in to [your bank](https://mybank.com@evil.example/login) now.\n"
    found = only(md, "userinfo-in-url")
    assert len(found) == 1
    assert "evil.example" in found[0].message and "mybank.com" in found[0].message
    assert found[0].severity is Severity.ERROR
    fixed = apply_all(md, found)
    assert fixed == "Log in to [your bank](https://evil.example/login) now.\n"
    assert "userinfo-in-url" not in rules_of(fixed)


def test_userinfo_password_fires() -> None:
    md = "Grab [the build](https://ci:s3cret@builds.example.com/latest.zip).\n"
    found = only(md, "userinfo-in-url")
    assert len(found) == 1 and "password" in found[0].message


@pytest.mark.parametrize(
    "url",
    ["https://example.com/@sam", "https://medium.com/@sam/post", "mailto:sam@example.com",
     "https://example.com/?email=a@b.c"],
)
def test_userinfo_quiet(url: str) -> None:
    assert "userinfo-in-url" not in rules_of(f"See [the profile]({url}).")


# ----------------------------------------------------------------------------- lookalike-domain


@pytest.mark.parametrize(
    ("url", "resembles"),
    [
        ("https://paypa1.com/signin", "paypal.com"),
        ("https://www.pyapal.com/signin", "paypal.com"),
        ("https://githib.com/login", "github.com"),
        ("https://rnicrosoft.com/account", "microsoft.com"),
        ("https://аррӏе.com/id", "apple.com"),  # Cyrillic letters
        ("https://xn--80ak6aa92e.com/id", "apple.com"),  # the same, as punycode
        ("https://gооgle.com/", "google.com"),  # two Cyrillic o's in a Latin name
        ("https://paypal.com.account-check.example/", "paypal.com"),
    ],
)
def test_lookalike_fires(url: str, resembles: str) -> None:
    found = only(f"Please [sign in]({url}) to continue.", "lookalike-domain")
    assert len(found) == 1, url
    assert found[0].data["resembles"] == resembles
    assert resembles in found[0].message


def test_lookalike_mixed_script_without_popular_target() -> None:
    found = only("Try [the shop](https://shορ-example.com/) today.", "lookalike-domain")
    assert len(found) == 1
    assert "mixes" in found[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://paypal.com/", "https://www.github.com/", "https://gist.github.com/x",
        "https://example.com/", "https://bücher.de/", "https://例子.中国/",
        "https://nodejs.org/", "https://mail.google.com/", "https://sam.github.io/blog",
        "https://docs.python.org/3/",
    ],
)
def test_lookalike_quiet(url: str) -> None:
    assert "lookalike-domain" not in rules_of(f"Please [read this guide]({url}) first.")


def test_lookalike_silenced_by_trusted_domain() -> None:
    md = "Read [Pyapal's story](https://blog.pyapal.com/story).\n"
    assert "lookalike-domain" in rules_of(md)
    assert "lookalike-domain" not in rules_of(md, Config(trusted=["pyapal.com"]))


def test_lookalike_distance_threshold() -> None:
    md = "Please [sign in](https://paypall.co/signin).\n"  # two edits from paypal.com
    assert "lookalike-domain" not in rules_of(md)
    config = Config()
    config.thresholds["lookalike-max-distance"] = 2
    assert "lookalike-domain" in rules_of(md, config)


# ----------------------------------------------------------------------------- url-shortener


@pytest.mark.parametrize(
    "url", ["https://bit.ly/3xSourdough", "https://tinyurl.com/abc", "https://t.co/xyz",
            "http://goo.gl/abc", "https://amzn.to/3abc"]
)
def test_shortener_fires(url: str) -> None:
    found = only(f"See [the sourdough guide]({url}).", "url-shortener")
    assert len(found) == 1
    assert found[0].fixes == ()
    assert "final address" in found[0].message


@pytest.mark.parametrize(
    "url", ["https://example.com/bit.ly", "https://bitly.example.com/", "https://youtu.be/abc",
            "https://www.theperfectloaf.com/guides/"]
)
def test_shortener_quiet(url: str) -> None:
    assert "url-shortener" not in rules_of(f"See [the sourdough guide]({url}).")


# ----------------------------------------------------------------------------- risky-tld


@pytest.mark.parametrize("url", ["https://free-prizes.tk/", "https://cheap-meds.top/buy",
                                 "https://www.win-big.xyz/"])
def test_risky_tld_fires(url: str) -> None:
    found = only(f"See [the offer]({url}).", "risky-tld")
    assert len(found) == 1
    assert found[0].severity is Severity.INFO
    assert "Spamhaus" in found[0].message


@pytest.mark.parametrize("url", ["https://example.com/", "https://example.co.uk/",
                                 "https://example.de/", "https://example.top.com/"])
def test_risky_tld_quiet(url: str) -> None:
    assert "risky-tld" not in rules_of(f"See [the offer]({url}).")


def test_risky_tld_trusted() -> None:
    md = "See [the offer](https://shop.my-bakery.xyz/)."
    assert "risky-tld" not in rules_of(md, Config(trusted=["my-bakery.xyz"]))


# ----------------------------------------------------------------------------- blocked-domain


def test_blocked_domain_fires_on_domain_and_subdomains() -> None:
    md = "See [this](https://spam.example/a) and [that](https://www.spam.example/b).\n"
    config = Config(blocked=["spam.example"])
    found = only(md, "blocked-domain", config)
    assert [f.link_index for f in found] == [0, 1]
    assert found[0].severity is Severity.ERROR
    assert "[domains] blocked" in found[0].message


def test_blocked_domain_quiet() -> None:
    md = "See [this](https://notspam.example/a) and [that](https://spam.example.org/b).\n"
    assert "blocked-domain" not in rules_of(md, Config(blocked=["spam.example"]))
    assert "blocked-domain" not in rules_of(md)


def test_blocked_domain_not_silenced_by_trust() -> None:
    md = "See [this](https://spam.example/a).\n"
    config = Config(blocked=["spam.example"], trusted=["spam.example"])
    assert "blocked-domain" in rules_of(md, config)


# ----------------------------------------------------------------------------- tracking-params


def test_tracking_params_fix_keeps_other_params_and_text() -> None:
    md = (
        "---\ntitle: T\n---\n\nFor the science, [read the study]"
        "(https://example.com/wild-yeast?utm_source=newsletter&utm_medium=email&id=7#results)."
        "\r\nMore text stays  \r\n"
    )
    found = only(md, "tracking-params")
    assert len(found) == 1
    assert found[0].data["params"] == ["utm_source", "utm_medium"]
    fix = found[0].fixes[0]
    link = parse(md).links[0]
    assert link.dest_start <= fix.start <= fix.end <= link.dest_end  # edits only the URL
    fixed = apply_all(md, found)
    assert fixed == md.replace("utm_source=newsletter&utm_medium=email&", "")
    assert "tracking-params" not in rules_of(fixed)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://example.com/a?fbclid=IwAR0abc", "https://example.com/a"),
        ("https://example.com/a?gclid=x&q=bread", "https://example.com/a?q=bread"),
        ("https://example.com/a?q=1&msclkid=x&mc_eid=y&mc_cid=z", "https://example.com/a?q=1"),
        ("https://example.com/a?igshid=x#top", "https://example.com/a#top"),
        ("https://example.com/a?UTM_Campaign=x&page=2", "https://example.com/a?page=2"),
        ("https://www.youtube.com/watch?v=dQw4&si=abc", "https://www.youtube.com/watch?v=dQw4"),
        ("https://example.com/?_hsenc=p2A&_hsmi=1&srsltid=AfmB", "https://example.com/"),
    ],
)
def test_tracking_params_variants(url: str, clean: str) -> None:
    md = f"Read [the recipe]({url}) tonight.\n"
    found = only(md, "tracking-params")
    assert len(found) == 1
    assert apply_all(md, found) == f"Read [the recipe]({clean}) tonight.\n"


def test_tracking_params_bare_and_autolink() -> None:
    md = "See <https://example.com/a?utm_source=x&b=2> and https://example.org/?fbclid=1 now.\n"
    found = only(md, "tracking-params")
    assert len(found) == 2
    assert apply_all(md, found) == "See <https://example.com/a?b=2> and https://example.org/ now.\n"


def test_tracking_params_html_link_with_entities() -> None:
    md = '<p>See <a href="https://example.com/a?b=1&amp;utm_source=x&amp;c=3">the list</a>.</p>\n'
    found = only(md, "tracking-params")
    assert len(found) == 1
    fixed = apply_all(md, found)
    assert fixed == md.replace("&amp;utm_source=x", "")


def test_tracking_params_reference_definition_fixed_once() -> None:
    md = (
        "Read [the recipe][r] and later [the same recipe][r].\n\n"
        "[r]: https://example.com/recipe?utm_campaign=spring&servings=4 \"Recipe\"\n"
    )
    found = only(md, "tracking-params")
    assert len(found) == 2  # both links, one shared definition
    fixed = apply_all(md, found)
    assert fixed == md.replace("utm_campaign=spring&", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/search?q=utm_source&page=2",
        "https://example.com/a?si=1",  # si is tracking only on YouTube and Spotify
        "https://example.com/#utm_source=x",
        "https://example.com/a?id=7",
        "../local/page?utm_source=x",
    ],
)
def test_tracking_params_quiet(url: str) -> None:
    assert "tracking-params" not in rules_of(f"Read [the recipe]({url}).")


# ----------------------------------------------------------------------------- trusted list


def test_trusted_silences_only_trust_rules_for_registrable_domain() -> None:
    md = (
        "The [click here](http://lab.example.edu/x?utm_source=a) page and "
        "[the other page](http://example.com/?utm_source=b).\n"
    )
    config = Config(trusted=["example.edu"])
    found = check(md, config)
    on_trusted = {f.rule for f in found if f.link_index == 0}
    on_other = {f.rule for f in found if f.link_index == 1}
    assert on_trusted == {"generic-anchor"}  # style/relevance rules still apply
    assert {"insecure-http", "tracking-params"} <= on_other


def test_trusted_entry_for_subdomain_covers_registrable_domain() -> None:
    md = "See [the lab](http://www.example.edu/lab).\n"
    assert "insecure-http" not in rules_of(md, Config(trusted=["news.example.edu"]))
    assert "insecure-http" in rules_of(md, Config(trusted=["example.org"]))


def test_fixes_are_exact_after_emoji_tabs_and_crlf() -> None:
    md = (
        "🍞🥖 Bread\r\n\r\nTabs\t🙂 and [the recipe](https://example.com/r?utm_source=x&q=1) "
        "and [login](https://bank.com@evil.example/) 🎉\r\n"
    )
    found = [f for f in check(md) if f.rule in ("tracking-params", "userinfo-in-url")]
    assert len(found) == 2
    fixed = apply_all(md, found)
    assert fixed == md.replace("utm_source=x&", "").replace("bank.com@", "")
