"""HTML export: unsafe schemes neutralised, rel attributes where search engines expect them."""

from linkwriter.core.htmlexport import BLOCKED_HREF, is_safe_url, render_html


def test_javascript_links_are_neutralised_in_markdown_and_raw_html():
    text = ('[md](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)" onclick="x()">raw</a> '
            '<a href="jav&#x61;script:alert(3)">enc</a> <img src="data:text/html,x">\n')
    out = render_html(text, standalone=False)
    assert 'href="javascript' not in out.lower() and "alert(2)" not in out
    assert "alert(3)" not in out and "data:" not in out
    assert "onclick" not in out
    assert out.count(BLOCKED_HREF) == 3
    assert "[md](javascript:alert(1))" in out  # markdown-it refuses it: shown as plain text


def test_rel_attributes():
    text = ("[partner](https://shop.partner.com/x) [ok](https://good.org/) "
            "[bad](https://spam.net/) <a href=\"https://good.org/new\" target=\"_blank\">new</a>\n")
    out = render_html(text, standalone=False, sponsored_domains=["partner.com"],
                      nofollow=["https://spam.net/"])
    assert '<a href="https://shop.partner.com/x" rel="sponsored">' in out
    assert '<a href="https://good.org/">' in out
    assert '<a href="https://spam.net/" rel="nofollow">' in out
    assert 'target="_blank" rel="noopener"' in out


def test_safe_urls():
    assert is_safe_url("https://x.org") and is_safe_url("/relative") and is_safe_url("#frag")
    assert not is_safe_url(" javascript:x") and not is_safe_url("vbscript:x")
    assert not is_safe_url("java\tscript:x")
