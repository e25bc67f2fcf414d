"""The lookalike detector on its own: distances, skeletons, and the cases it must leave alone."""

from __future__ import annotations

import pytest

from linkwriter.core.rules.domains import DomainSet, ip_literal, registrable_domain
from linkwriter.core.rules.lookalike import find_lookalike, osa_distance, skeleton


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [("paypal", "paypal", 0), ("paypal", "paypa", 1), ("paypal", "pyapal", 1),
     ("paypal", "paypall", 1), ("paypal", "paypai", 1), ("abc", "bca", 2), ("", "ab", 2)],
)
def test_osa_distance(a: str, b: str, d: int) -> None:
    assert osa_distance(a, b) == d == osa_distance(b, a)


def test_skeleton() -> None:
    assert skeleton("аррӏе.com") == "apple.com"
    assert skeleton("example.com") == "example.com"
    assert skeleton("bücher.de") == "bucher.de"


@pytest.mark.parametrize(
    "host",
    ["paypa1.com", "paypal.com.evil.example", "amazom.com", "paypal.co", "apple.cm",
     "goggle.com", "аррӏе.com",
     "xn--80ak6aa92e.com", "faceb00k.com", "linkedln.com", "netfiix.com"],
)
def test_lookalikes(host: str) -> None:
    assert find_lookalike(host) is not None, host


@pytest.mark.parametrize(
    "host",
    ["paypal.com", "www.paypal.com", "gmail.com", "mail.com", "github.io", "sam.github.io",
     "bit.ly", "x.com", "bbc.co.uk", "nodejs.org", "example.com", "bücher.de", "münchen.de",
     "例子.中国", "xn--fsqu00a.xn--fiqs8s", "ti.to", "v8.dev", "go.dev", "localhost",
     "93.184.216.34", "google.ch", "google.com.tr", "amazon.pl", "paypal.de", "nuxtjs.org"],
)
def test_not_lookalikes(host: str) -> None:
    assert find_lookalike(host) is None, host


def test_short_names_are_not_typo_checked() -> None:
    assert find_lookalike("ebey.com") is None  # ebay is too short to judge typos
    assert find_lookalike("ebey.com", 1, 4) is not None


def test_domain_helpers() -> None:
    assert registrable_domain("www.example.co.uk") == "example.co.uk"
    assert registrable_domain("a.b.sam.github.io") == "sam.github.io"
    assert registrable_domain("co.uk") is None
    assert registrable_domain("192.168.0.1") is None
    assert str(ip_literal("3232235521")) == "192.168.0.1"
    trusted = DomainSet(["news.example.edu", "https://Other.Example/path"], registrable=True)
    assert trusted.match("www.example.edu") == "example.edu"
    assert trusted.match("other.example") == "other.example"
    assert trusted.match("example.com") is None
    idn = DomainSet(["*.bücher.de"])
    assert idn.match("www.xn--bcher-kva.de") == "bücher.de"
    assert DomainSet(["xn--bcher-kva.de"]).match("shop.bücher.de") == "bücher.de"
    blocked = DomainSet(["spam.example"])
    assert blocked.match("a.spam.example") == "spam.example"
    assert blocked.match("notspam.example") is None
