"""Page metadata for relevance: from raw HTML and from the network checker's record."""

from __future__ import annotations

from dataclasses import asdict

from linkwriter.core.net.report import PageMeta
from linkwriter.core.relevance import (
    PageInfo,
    page_info_from_html,
    page_info_from_metadata,
    pages_from_reports,
)
from linkwriter.core.relevance.anchors import escape_label, propose_anchor
from linkwriter.core.relevance.pageinfo import MAX_TEXT_WORDS

HTML = """<!doctype html><html lang="de-DE"><head>
<title>Sauerteig ansetzen | Brotzeit</title>
<meta name="description" content="In sieben Tagen zum aktiven Sauerteig.">
<meta property="og:title" content="Sauerteig ansetzen: Anleitung">
<meta property="og:site_name" content="Brotzeit">
<script>var menu = "Rezepte Kontakt";</script><style>h1{color:red}</style>
</head><body>
<header><nav><a href="/">Start</a> <a href="/rezepte">Rezepte</a></nav></header>
<main><h1>Sauerteig <em>ansetzen</em></h1><p>Roggenmehl &amp; Wasser mischen.</p>
<h2>Füttern</h2><p>Jeden Tag füttern.<br>Nach einer Woche fertig.</p><h4>Not a heading</h4></main>
<aside><h3>Beliebte Beiträge</h3></aside>
<footer>© 2026 Brotzeit. Impressum</footer></body></html>"""


def test_page_info_from_html_reads_the_fields_relevance_needs() -> None:
    page = page_info_from_html(HTML, "https://brot.example/sauerteig", status=200)
    assert page.title == "Sauerteig ansetzen | Brotzeit"
    assert page.description == "In sieben Tagen zum aktiven Sauerteig."
    assert page.og == {"title": "Sauerteig ansetzen: Anleitung", "site_name": "Brotzeit"}
    assert page.headings == ("Sauerteig ansetzen", "Füttern")  # no h4, nothing from <aside>
    assert page.lang == "de-DE"
    assert "Roggenmehl & Wasser mischen." in page.text
    for furniture in ("Rezepte", "Impressum", "color:red", "Beliebte"):
        assert furniture not in page.text
    assert page.display_title == "Sauerteig ansetzen: Anleitung"
    assert page.status == 200 and page.is_html and page.has_content


def test_page_info_from_html_survives_broken_markup_and_caps_text() -> None:
    page = page_info_from_html("<title>Half<p>open <b>tags</i> " + "word " * 5000, "http://x/")
    assert page.title.startswith("Half")
    assert len(page.text.split()) <= MAX_TEXT_WORDS + 1
    assert page_info_from_html("", "http://x/").has_content is False


def test_page_info_from_metadata_accepts_a_plain_dict_in_several_spellings() -> None:
    page = page_info_from_metadata(
        {
            "final_url": "https://b.example/x",
            "status": 200,
            "content_type": "text/html",
            "language": "fr",
            "title": "Le levain",
            "meta_description": "Tout sur le levain",
            "og:title": "Le levain maison",
            "h1": ["Le levain"],
            "h2": ["Nourrir", "Cuire"],
            "main_text": "Mélanger farine et eau.",
            "unknown": object(),
        },
        url="https://a.example/x",
    )
    assert page.url == "https://a.example/x"
    assert page.final_url == "https://b.example/x"
    assert page.lang == "fr" and page.description == "Tout sur le levain"
    assert page.og == {"title": "Le levain maison"}
    assert page.headings == ("Le levain", "Nourrir", "Cuire")
    assert page.text == "Mélanger farine et eau."


def test_page_info_from_metadata_accepts_the_network_checkers_record() -> None:
    meta = PageMeta(
        final_url="https://b.example/",
        status=200,
        content_type="text/html",
        language="en",
        title="Sourdough",
        description="All about starters",
        og={"og:title": "Sourdough starter guide"},
        headings=["Day 1", "Feeding"],
        text="Mix flour and water.",
    )
    for record in (meta, asdict(meta)):
        page = page_info_from_metadata(record, url="https://a.example/")
        assert page.og == {"title": "Sourdough starter guide"}
        assert page.headings == ("Day 1", "Feeding")
        assert page.lang == "en" and page.status == 200


def test_propose_anchor_takes_the_title_without_the_site_name() -> None:
    page = PageInfo(
        url="u",
        title="Understanding Dough Hydration: A Baker's Percentage Primer | Loaf Lab",
        og={"site_name": "Loaf Lab"},
    )
    assert propose_anchor(page) == "Understanding Dough Hydration"
    long = PageInfo(url="u", title="How to grow the biggest and sweetest tomatoes of the season")
    proposal = propose_anchor(long)
    assert proposal == "How to grow the biggest and"[: len(proposal)]
    assert 2 <= len(proposal.split()) <= 6 and not proposal.endswith(" and")
    assert propose_anchor(PageInfo(url="u", title="Home")) is None


def test_escape_label_keeps_markdown_link_syntax_intact() -> None:
    assert escape_label("fs.createReadStream(path[, options])") == (
        "fs.createReadStream(path\\[, options\\])"
    )


def test_pages_from_reports_keeps_urls_with_metadata() -> None:
    from linkwriter.core.net.report import UrlReport

    with_meta = UrlReport(url="https://a.example/", meta=PageMeta(title="A page", text="words"))
    without = UrlReport(url="https://b.example/", verdict="broken")
    pages = pages_from_reports(
        {"https://a.example/": with_meta, "https://b.example/": without,
         "https://c.example/": {"meta": {"title": "C"}}}
    )
    assert sorted(pages) == ["https://a.example/", "https://c.example/"]
    assert pages["https://a.example/"].title == "A page"
    assert pages["https://c.example/"].url == "https://c.example/"
