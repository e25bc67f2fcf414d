"""Page metadata extraction on real-world-shaped HTML."""

from linkwriter.core.net.pagemeta import decode_html, parse_html

HTML = """<!DOCTYPE html>
<html lang="de-AT"><head>
<meta charset="utf-8"><title> Caf&eacute; &amp; Kuchen | Blog </title>
<meta name="description" content="Alles &uuml;ber Kuchen">
<meta property="og:title" content="OG Kuchen"><meta property='og:image' content='/k.png'>
<script>var x = "<h1>not a heading</h1> <a id='fake'>";</script>
<style>h1 { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/about">About us menu</a></nav>
<!-- <h2 id="commented">gone</h2> -->
<main>
<h1 id="top-title">Der <em>beste</em> Kuchen</h1>
<p>Erster Absatz mit Text.</p>
<h2 id=rezept>Rezept</h2><h3 id="user-content-schritt-1">Schritt 1</h3>
<a name="legacy">old anchor</a><div name="not-an-anchor">x</div>
<h4 id="tief">Tief</h4>
</main>
<footer>Impressum footer text</footer>
</body></html>"""


def test_fields_are_extracted():
    page = parse_html(HTML)
    assert page.title == "Café & Kuchen | Blog"
    assert page.language == "de-AT"
    assert page.description == "Alles über Kuchen"
    assert page.og == {"og:title": "OG Kuchen", "og:image": "/k.png"}
    assert page.headings == ["Der beste Kuchen", "Rezept", "Schritt 1"]
    assert page.anchors == ["top-title", "rezept", "user-content-schritt-1", "legacy", "tief"]
    assert page.text.startswith("Der beste Kuchen Erster Absatz mit Text.")
    assert "menu" not in page.text and "Impressum" not in page.text and "var x" not in page.text


def test_without_main_the_body_text_is_used_and_words_are_capped():
    page = parse_html("<title>T</title><body><p>" + "wort " * 5000 + "</p></body>")
    assert len(page.text.split()) == 3000


def test_malformed_markup_never_raises():
    for junk in ("<", "<title>unterminated", "<<<>>><a id=>", "\x00\ufffd<h1>x", ""):
        parse_html(junk)


def test_decoding_uses_header_then_meta_then_utf8():
    assert decode_html("é".encode("latin-1"), "text/html; charset=ISO-8859-1") == "é"
    assert decode_html(b'<meta charset="windows-1252">\x80', "text/html").endswith("€")
    assert decode_html("ü".encode(), "text/html") == "ü"
    assert decode_html(b"\xff", "text/html; charset=bogus") == "\ufffd"
