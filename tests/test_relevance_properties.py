"""Property tests: any post and any page give a verdict in range and exact, safe fixes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.model import apply_fixes
from linkwriter.core.relevance import PageInfo, relevance_report

WORDS = st.sampled_from(
    """sourdough starter flour water levain hydration the a of and Café naïve Sauerteig und
    der le la vpn deals casino python pandas groupby router wifi crane e4 c5 100% click here
    read more [x] *em* `code` 東京 привет""".split()  # noqa: SIM905 - easier to read
)
TEXT = st.lists(WORDS, min_size=0, max_size=40).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=TEXT, anchor=TEXT, after=TEXT, title=TEXT, body=TEXT, heads=st.lists(TEXT, max_size=3)
)
def test_any_post_and_page_give_scores_in_range_and_fixes_on_the_label(
    before: str, anchor: str, after: str, title: str, body: str, heads: list[str]
) -> None:
    url = "https://site.example/some-page"
    text = f"# Post\n\n{before} [{anchor or 'link'}]({url}) {after}\n"
    post = parse_post(text)
    page = PageInfo(url=url, title=title, text=body, headings=tuple(heads))
    report = relevance_report(post, {url: page}, Config())
    for link in report.links:
        assert link.score is None or 0.0 <= link.score <= 1.0
        assert link.verdict in ("on-topic", "off-topic", "not-judged", "unchecked")
    for finding in report.findings:
        assert finding.category.value == "relevance"
        for fix in finding.fixes:
            link = post.links[finding.link_index]
            assert (fix.start, fix.end) == (link.label_start, link.label_end)
            fixed = apply_fixes(text, [fix])
            assert fixed[: fix.start] == text[: fix.start]
            assert fixed[fix.start + len(fix.replacement) :] == text[fix.end :]
            reparsed = parse_post(fixed)
            assert [lk.url for lk in reparsed.links] == [lk.url for lk in post.links]
