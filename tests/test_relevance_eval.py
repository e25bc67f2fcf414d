"""The labelled evaluation set through the full pipeline: loopback fetch -> metadata -> score.

This is a quality gate, not a speed test: `off-topic-link` must keep precision and F1 at or
above 0.9 on the whole set (benchmarks/relevance.py prints the per-split figures and timings).
"""

from __future__ import annotations

from collections import Counter

import pytest
import requests
from pytest_httpserver import HTTPServer
from relevance_evalset import PAGES, case_post, load_cases

from linkwriter.core.config import Config
from linkwriter.core.relevance import PageInfo, page_info_from_html, relevance_report

CASES = load_cases()


def test_the_set_is_big_balanced_and_has_the_hard_cases() -> None:
    assert len(CASES) >= 150
    assert len({c.topic for c in CASES}) >= 10
    labels = Counter(c.label for c in CASES)
    assert labels["relevant"] == labels["offtopic"]
    kinds = {c.kind for c in CASES}
    assert {"homonym", "short", "lang", "generic"} <= kinds
    assert {c.split for c in CASES} == {"dev", "held-out"}
    assert all((PAGES / f"{c.page}.html").is_file() for c in CASES)


@pytest.fixture(scope="module")
def fetched_pages() -> dict[str, PageInfo]:
    """Serve every page from a loopback server and extract its metadata from the response."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        for path in PAGES.glob("*.html"):
            server.expect_request(f"/{path.name}").respond_with_data(
                path.read_bytes(), content_type="text/html; charset=utf-8"
            )
        pages: dict[str, PageInfo] = {}
        with requests.Session() as session:
            session.trust_env = False  # loopback only: never through a proxy
            for page_id in sorted({c.page for c in CASES}):
                url = server.url_for(f"/{page_id}.html")
                resp = session.get(url, timeout=5)
                assert resp.status_code == 200
                pages[page_id] = page_info_from_html(
                    resp.text, url, final_url=resp.url, status=resp.status_code,
                    content_type=resp.headers["Content-Type"],
                )
        return pages
    finally:
        server.clear()
        server.stop()


def test_off_topic_link_precision_and_f1_on_the_labelled_set(
    fetched_pages: dict[str, PageInfo],
) -> None:
    config = Config()
    tp = fp = fn = 0
    wrong: list[str] = []
    for case in CASES:
        page = fetched_pages[case.page]
        report = relevance_report(case_post(case, page.url), {page.url: page}, config)
        flagged = any(f.rule == "off-topic-link" for f in report.findings)
        tp += flagged and case.offtopic
        fp += flagged and not case.offtopic
        fn += (not flagged) and case.offtopic
        if flagged != case.offtopic:
            wrong.append(f"{case.id} ({case.kind}) score={report.links[0].score}")
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.9, wrong
    assert f1 >= 0.9, wrong


def test_pages_in_another_language_never_raise_a_warning(
    fetched_pages: dict[str, PageInfo],
) -> None:
    for case in (c for c in CASES if c.kind == "lang"):
        page = fetched_pages[case.page]
        report = relevance_report(case_post(case, page.url), {page.url: page}, Config())
        if report.links[0].page_lang != report.links[0].text_lang:
            assert not any(f.rule == "off-topic-link" for f in report.findings), case.id
            assert report.links[0].verdict == "not-judged"
