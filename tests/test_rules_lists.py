"""Bundled lists: sourced, well-formed, and loaded once."""

from __future__ import annotations

import re

import pytest

from linkwriter.core.resources import read_resource_text, resource_path
from linkwriter.core.rules.domains import registrable_domain
from linkwriter.core.rules.lists import load_lines, load_sections
from linkwriter.core.rules.lookalike import popular_domains

LISTS = sorted(p.name for p in resource_path("lists").glob("*.txt"))
DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def test_expected_lists_exist() -> None:
    assert {
        "popular-domains.txt", "url-shorteners.txt", "risky-tlds.txt", "tracking-params.txt",
        "generic-anchors.txt", "affiliate.txt", "disclosure-words.txt",
    } <= set(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_names_source_and_license(name: str) -> None:
    header = "\n".join(
        line for line in read_resource_text("lists", name).splitlines()[:12] if line.startswith("#")
    )
    assert re.search(r"source|from|written by hand|curated", header, re.I), name
    assert "license" in header.lower(), name


@pytest.mark.parametrize("name", ["popular-domains.txt", "url-shorteners.txt"])
def test_domain_lists_are_domains(name: str) -> None:
    entries = load_lines(name)
    assert len(entries) == len(set(entries)) or name == "popular-domains.txt"
    for entry in entries:
        assert DOMAIN.match(entry), (name, entry)


def test_popular_list_size_and_registrable() -> None:
    assert 300 <= len(popular_domains()) <= 5000
    assert "paypal.com" in popular_domains()
    for domain in popular_domains():
        # Private public suffixes (github.io, vercel.app) are kept whole: users' sites live
        # under them, and imitations of the suffix itself are still worth catching.
        assert registrable_domain(domain) in (domain, None), domain


def test_risky_tlds_are_tlds() -> None:
    for tld in load_lines("risky-tlds.txt"):
        assert re.fullmatch(r"[a-z]{2,}", tld), tld
    assert {"tk", "top", "xyz"} <= set(load_lines("risky-tlds.txt"))
    assert "spamhaus" in read_resource_text("lists", "risky-tlds.txt").lower()


def test_sections() -> None:
    langs = set(load_sections("generic-anchors.txt"))
    assert {"en", "de", "fr", "es", "nl", "pt", "it"} <= langs
    assert {"en", "de", "fr", "es", "nl", "pt", "it"} <= set(load_sections("disclosure-words.txt"))
    assert {"hosts", "amazon", "params"} <= set(load_sections("affiliate.txt"))
    assert "#ad" in load_sections("disclosure-words.txt")["en"]


def test_lists_load_once() -> None:
    assert load_lines("url-shorteners.txt") is load_lines("url-shorteners.txt")
