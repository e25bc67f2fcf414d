"""slug-mismatch stays quiet where the URL names a place or an item, not a topic (found on the
nodeblog corpus, where an earlier version flagged one link in eight)."""

import pytest

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.relevance import relevance_report

QUIET = [
    "Fixed a crash (Ruben Bridgewater) [#23056](https://github.com/nodejs/node/pull/23056).",
    "More details at [CVE-2021-44531](https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2021-44531).",
    "Addons depend on the [ABI](https://en.wikipedia.org/wiki/Application_binary_interface).",
    "Notes are in the [minutes](https://docs.google.com/document/d/1ny2Qz_EsUnXGKJRGxoA/edit).",
    "Questions went to the [Q/A thread](https://github.com/nodejs/membership/issues/20).",
    "See [https://github.com/Microsoft/vscode](https://github.com/Microsoft/vscode) for more.",
]


@pytest.mark.parametrize("sentence", QUIET)
def test_no_slug_mismatch_for_places_and_items(sentence):
    post = parse_post(f"# Release notes\n\n{sentence}\n")
    rules = {f.rule for f in relevance_report(post, {}, Config()).findings}
    assert "slug-mismatch" not in rules


def test_a_real_slug_that_fits_nothing_still_fires():
    post = parse_post(
        "# Sourdough\n\nFeeding the starter twice a day keeps the culture lively and sour, see "
        "[my feeding schedule](https://example.com/2024/best-vpn-deals-for-gamers).\n"
    )
    rules = {f.rule for f in relevance_report(post, {}, Config()).findings}
    assert "slug-mismatch" in rules
