"""Anchor, layout and call-to-action rules on real Markdown, firing and not firing."""

from __future__ import annotations

import pytest
from rules_support import apply_all, check, only, parse, rules_of

from linkwriter.core.config import Config
from linkwriter.core.model import Category, Severity

# ----------------------------------------------------------------------------- generic-anchor


@pytest.mark.parametrize(
    "anchor",
    [
        "click here", "Click Here!", "here", "read more", "Read more »", "this", "link",
        "learn more", "more", "this page",
        "hier", "hier klicken", "weiterlesen", "mehr erfahren",  # de
        "ici", "cliquez ici", "en savoir plus", "lire la suite",  # fr
        "aquí", "haz clic aquí", "leer más",  # es
        "klik hier", "lees meer",  # nl
        "clique aqui", "leia mais", "saiba mais",  # pt
        "clicca qui", "leggi di più", "scopri di più",  # it
    ],
)
def test_generic_anchor_fires(anchor: str) -> None:
    md = f"For the science behind the rise, [{anchor}](https://example.com/yeast).\n"
    found = only(md, "generic-anchor")
    assert len(found) == 1, anchor
    f = found[0]
    assert f.category is Category.RELEVANCE and f.severity is Severity.WARNING
    assert f.fixes == ()
    assert "search engines" in f.message and "screen-reader" in f.message


@pytest.mark.parametrize(
    "anchor",
    [
        "the science of wild yeast", "read more about hydration", "Here Comes the Sun",
        "this year's harvest report", "King Arthur's starter guide",
    ],
)
def test_generic_anchor_quiet(anchor: str) -> None:
    assert "generic-anchor" not in rules_of(f"See [{anchor}](https://example.com/yeast).")


def test_generic_anchor_ignores_images() -> None:
    assert "generic-anchor" not in rules_of("![here](https://example.com/a.png)")


# ----------------------------------------------------------------------------- url-as-anchor


@pytest.mark.parametrize(
    "md",
    [
        "See [https://example.com/guide](https://example.com/guide) for details.",
        "See [www.example.com/guide](https://www.example.com/guide) for details.",
        "See [example.com/guide](https://example.com/guide) for details.",
        "See [Example.com](https://www.example.com/) for details.",
        "See [docs.example.com](https://example.com/docs) for details.",
        "See https://example.com/guide for details.",
        "See <https://example.com/guide> for details.",
    ],
)
def test_url_as_anchor_fires(md: str) -> None:
    found = only(md, "url-as-anchor")
    assert len(found) == 1
    assert found[0].fixes == ()
    assert found[0].severity is Severity.INFO


@pytest.mark.parametrize(
    "md",
    [
        "See [the guide](https://example.com/guide) for details.",
        "Mail <sam@example.com> for details.",
        "See [Node.js 12 release notes](https://nodejs.org/en/blog/) for details.",
        "Built on [Node.js](https://nodejs.org/) and [Vue.js](https://vuejs.org/).",
        "Read the [README.md](https://github.com/executablebooks/markdown-it-py) first.",
        "![https://example.com/a.png](https://example.com/a.png)",
    ],
)
def test_url_as_anchor_quiet(md: str) -> None:
    assert "url-as-anchor" not in rules_of(md)


# ----------------------------------------------------------------------------- empty-anchor


@pytest.mark.parametrize(
    "md",
    ["A [](https://example.com/guide) link.", "A [  ](https://example.com/guide) link.",
     'A <a href="https://example.com/guide"></a> link.'],
)
def test_empty_anchor_fires(md: str) -> None:
    assert len(only(md, "empty-anchor")) == 1


@pytest.mark.parametrize(
    "md",
    ["A [guide](https://example.com/guide) link.",
     "A [![Build status](https://ci.example.com/badge.svg)](https://ci.example.com/) badge.",
     "![](https://example.com/a.png)"],
)
def test_empty_anchor_quiet(md: str) -> None:
    assert "empty-anchor" not in rules_of(md)


# ----------------------------------------------------------------------------- missing-alt


@pytest.mark.parametrize(
    "md", ["![](https://example.com/crumb.jpg)", "Look: ![ ](images/crumb.jpg \"Crumb\")",
           '<img src="https://example.com/crumb.jpg">']
)
def test_missing_alt_fires(md: str) -> None:
    found = only(md, "missing-alt")
    assert len(found) == 1
    assert "alt text" in found[0].message


@pytest.mark.parametrize(
    "md",
    ["![An open crumb](https://example.com/crumb.jpg)",
     "A [link with no image](https://example.com/)",
     '<img src="https://example.com/crumb.jpg" alt="An open crumb">',
     '<img src="https://example.com/divider.png" alt="">'],  # explicitly decorative
)
def test_missing_alt_quiet(md: str) -> None:
    assert "missing-alt" not in rules_of(md)


# ----------------------------------------------------------------------------- long-anchor


def test_long_anchor_fires_and_threshold_tunes_it() -> None:
    anchor = "the very long and winding guide to feeding a sourdough starter twice every day"
    md = f"Read [{anchor}](https://example.com/feed).\n"
    found = only(md, "long-anchor")
    assert len(found) == 1 and found[0].data["words"] == 14
    config = Config()
    config.thresholds["long-anchor-words"] = 14
    assert "long-anchor" not in rules_of(md, config)


def test_long_anchor_counts_words_across_line_breaks() -> None:
    md = "Read [a b c d e f g h i j k l m n o](https://example.com/feed).\n"
    assert "long-anchor" in rules_of(md)
    md = "Read [a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn](https://example.com/feed).\n"
    assert "long-anchor" in rules_of(md)


def test_long_anchor_quiet() -> None:
    md = "Read [the guide to feeding a sourdough starter](https://example.com/feed).\n"
    assert "long-anchor" not in rules_of(md)


# ----------------------------------------------------------------------------- duplicate-link


def test_duplicate_link_fires_on_repeats_with_unlink_fix() -> None:
    md = (
        "Start with [the starter guide](https://example.com/starter/).\n\n"
        "Later, revisit [the *same* guide](https://example.com/starter?utm_source=x).\n"
    )
    found = only(md, "duplicate-link")
    assert len(found) == 1 and found[0].link_index == 1
    assert "line 1" in found[0].message
    fixed = apply_all(md, found)
    assert fixed == md.replace("[the *same* guide](https://example.com/starter?utm_source=x)",
                               "the *same* guide")
    assert "duplicate-link" not in rules_of(fixed)


def test_duplicate_link_reference_links() -> None:
    md = "Read [the guide][g] and later [again][g].\n\n[g]: https://example.com/guide\n"
    found = only(md, "duplicate-link")
    assert len(found) == 1
    assert apply_all(md, found) == md.replace("[again][g]", "again")


@pytest.mark.parametrize(
    "md",
    [
        "Read [part one](https://example.com/a) and [part two](https://example.com/b).",
        "Jump to [setup](#setup), and later back to [setup](#setup).",
        "See [the intro](https://example.com/guide#intro) and [the end](https://example.com/guide#end).",
        "![Crumb](https://example.com/a.png) and ![Crumb again](https://example.com/a.png)",
    ],
)
def test_duplicate_link_quiet(md: str) -> None:
    assert "duplicate-link" not in rules_of(md)


# ----------------------------------------------------------------------------- adjacent-links


@pytest.mark.parametrize(
    "md",
    [
        "See [the recipe](https://example.com/a) [the video](https://example.org/b) now.",
        "See [the recipe](https://example.com/a)[the video](https://example.org/b) now.",
        "See [the recipe](https://example.com/a)\n[the video](https://example.org/b) now.",
    ],
)
def test_adjacent_links_fires(md: str) -> None:
    found = only(md, "adjacent-links")
    assert len(found) == 1
    post = parse(md)
    assert found[0].link_index == 1
    assert (found[0].start, found[0].end) == (post.links[0].start, post.links[1].end)


@pytest.mark.parametrize(
    "md",
    [
        "See [the recipe](https://example.com/a) and [the video](https://example.org/b).",
        "See [the recipe](https://example.com/a), [the video](https://example.org/b).",
        "- [the recipe](https://example.com/a)\n- [the video](https://example.org/b)\n",
        "[the recipe](https://example.com/a)\n\n[the video](https://example.org/b)\n",
        "[the recipe](https://example.com/a)  \n[the video](https://example.org/b)\n",
        "[![Build](https://ci.example.com/b.svg)](https://ci.example.com/) "
        "[![Coverage](https://cov.example.com/c.svg)](https://cov.example.com/)",
    ],
)
def test_adjacent_links_quiet(md: str) -> None:
    assert "adjacent-links" not in rules_of(md)


# ----------------------------------------------------------------------------- link-density

PROSE = (
    "Sourdough needs only flour, water and salt, plus a lively starter that you feed every "
    "day with equal weights of flour and water until it doubles within eight hours. "
)


def test_link_density_fires_on_link_packed_post() -> None:
    links = " ".join(f"[recipe {i}](https://example.com/r{i})," for i in range(8))
    md = f"# Links\n\nMy favourite recipes: {links} all good.\n"
    found = only(md, "link-density")
    assert len(found) == 1
    f = found[0]
    assert f.link_index is None  # about the whole post
    assert f.data["links"] == 8


def test_link_density_quiet_on_normal_post_and_few_links() -> None:
    md = PROSE * 4 + "See [the guide](https://example.com/guide).\n"
    assert "link-density" not in rules_of(md)
    few = "Two [links](https://example.com/a) [here](https://example.com/b) only.\n"
    assert "link-density" not in rules_of(few)  # fewer than link-density-min-links


def test_link_density_thresholds() -> None:
    links = " ".join(f"[recipe {i}](https://example.com/r{i})" for i in range(4))
    md = PROSE + links + "\n"  # about 31 words, 4 links
    assert "link-density" in rules_of(md)
    config = Config()
    config.thresholds["link-density-words-per-link"] = 5
    assert "link-density" not in rules_of(md, config)


# ----------------------------------------------------------------------------- partner-overlinking


def test_partner_overlinking_fires_above_limit() -> None:
    md = PROSE * 3 + "".join(
        f"Read [my friend's post {i}](https://blog.friend.example/p{i}). " for i in range(3)
    ) + "\n"
    config = Config(partners=["friend.example"])
    found = only(md, "partner-overlinking", config)
    assert len(found) == 1
    f = found[0]
    assert f.link_index is None and f.data["links"] == [0, 1, 2]
    assert "link scheme" in f.message
    post = parse(md)
    assert (f.start, f.end) == (post.links[0].start, post.links[2].end)


def test_partner_overlinking_quiet() -> None:
    md = PROSE * 3 + "".join(
        f"Read [my friend's post {i}](https://blog.friend.example/p{i}). " for i in range(2)
    ) + "Also [a neighbour](https://other.example/x).\n"
    config = Config(partners=["friend.example"])
    assert "partner-overlinking" not in rules_of(md, config)  # 2 is within the limit
    assert "partner-overlinking" not in rules_of(md)  # no partners configured
    config.thresholds["partner-max-links"] = 1
    assert "partner-overlinking" in rules_of(md, config)


# ------------------------------------------------------------------------- affiliate-undisclosed


@pytest.mark.parametrize(
    "url",
    [
        "https://amzn.to/3abcXYZ",
        "https://www.amazon.com/dp/B000123?tag=sambakes-20",
        "https://www.amazon.de/dp/B000123?tag=sambakes-21&th=1",
        "https://www.shareasale.com/r.cfm?b=1&u=2&m=3",
        "https://www.awin1.com/cread.php?awinmid=1&awinaffid=2",
        "https://www.anrdoezrs.net/click-123-456",
        "https://click.linksynergy.com/deeplink?id=abc",
        "https://prf.hn/click/camref:1101l",
        "https://goto.target.com/c/123/81938/2092",
        "https://shop.example.com/product/9?ref=sambakes",
        "https://shop.example.com/product/9?aff_id=77",
    ],
)
def test_affiliate_undisclosed_fires(url: str) -> None:
    md = f"I use the [Brød & Taylor proofer]({url}) for warm, steady proofing.\n"
    found = only(md, "affiliate-undisclosed")
    assert len(found) == 1, url
    f = found[0]
    assert f.category is Category.CTA
    fixed = apply_all(md, found)
    assert "proofer](" in fixed and ") (affiliate link) for warm" in fixed
    assert "affiliate-undisclosed" not in rules_of(fixed)


@pytest.mark.parametrize(
    "paragraph",
    [
        "I use the [proofer](https://amzn.to/3abc) (affiliate link) every week.",
        "Affiliate link: I use the [proofer](https://amzn.to/3abc) every week.",
        "I use the [proofer](https://amzn.to/3abc); I earn a small commission.",
        "#ad I use the [proofer](https://amzn.to/3abc) every week.",
        "I use the [proofer](https://amzn.to/3abc). This post is sponsored.",
        "Ich nutze den [Gärkorb](https://amzn.to/3abc) (Werbung).",
        "J'utilise [ce banneton](https://amzn.to/3abc) (lien affilié).",
        "Uso [este banneton](https://amzn.to/3abc) (enlace de afiliado).",
        "Ik gebruik [deze rijsmand](https://amzn.to/3abc) (affiliatelink).",
        "Uso [este cesto](https://amzn.to/3abc) (link de afiliado).",
        "Uso [questo cestino](https://amzn.to/3abc) (link affiliato).",
    ],
)
def test_affiliate_disclosed_quiet(paragraph: str) -> None:
    assert "affiliate-undisclosed" not in rules_of(paragraph + "\n")


def test_affiliate_fix_on_html_link_goes_after_closing_tag() -> None:
    md = '<p>I use <a href="https://amzn.to/3abc">this <b>proofer</b></a> daily.</p>\n'
    found = only(md, "affiliate-undisclosed")
    assert len(found) == 1
    fixed = apply_all(md, found)
    assert fixed == md.replace("</a> daily", "</a> (affiliate link) daily")


def test_affiliate_disclosure_must_be_in_same_paragraph() -> None:
    md = (
        "This post contains affiliate links.\n\n"
        "I use the [proofer](https://amzn.to/3abc) for proofing.\n"
    )
    assert "affiliate-undisclosed" in rules_of(md)


@pytest.mark.parametrize(
    "url",
    ["https://www.amazon.com/dp/B000123", "https://example.com/blog?tag=bread",
     "https://example.com/post?ref=myblog.example", "https://example.com/post?ref=",
     "https://example.com/product/9?id=3", "https://www.adage.com/"],
)
def test_affiliate_quiet_on_plain_links(url: str) -> None:
    assert "affiliate-undisclosed" not in rules_of(f"I use the [proofer]({url}) daily.\n")


def test_affiliate_word_boundaries() -> None:
    # "advertising" is disclosure wording; "address" or "adult" must not count as "ad".
    md = "Read the [address book](https://amzn.to/3abc) review, adults welcome.\n"
    assert "affiliate-undisclosed" in rules_of(md)


def test_check_returns_link_findings_with_link_span() -> None:
    md = "Go [click here](http://example.com/?utm_source=x) now.\n"
    post = parse(md)
    for f in check(md):
        assert f.link_index == 0
        assert (f.start, f.end) == (post.links[0].start, post.links[0].end)
