"""Render the hand-written page specs in src/pages-*.txt to small realistic HTML documents.

Why generated: the pages share site furniture (navigation, cookie banner, footer) the way real
sites do, and a spec keeps the 80-odd pages reviewable. The HTML in pages/ is committed, so the
tests only read files; rerun this after editing a spec: python tests/data/relevance/build_pages.py
"""

from __future__ import annotations

import html
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse_specs(paths: list[Path]) -> list[dict]:
    pages: list[dict] = []
    current: dict | None = None
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith("@@ page "):
                current = {"id": line[8:].strip(), "blocks": []}
                pages.append(current)
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            assert current is not None, line
            if key in ("h1", "h2", "h3", "p"):
                current["blocks"].append((key, value))
            else:
                current[key] = value
    return pages


NAV = {
    "blog": ["Home", "Recipes", "About", "Newsletter", "Contact"],
    "docs": ["Docs", "Guides", "Reference", "Search", "Log in"],
    "shop": ["Shop", "Deals", "Reviews", "Account", "Basket"],
    "news": ["Latest", "World", "Science", "Health", "Subscribe"],
    "short": ["Home", "Sign in"],
}
COOKIE = {
    "en": "We use cookies to improve your experience. Accept all cookies or manage settings.",
    "de": "Wir verwenden Cookies. Alle akzeptieren oder Einstellungen verwalten.",
    "fr": "Nous utilisons des cookies. Tout accepter ou gérer les paramètres.",
    "es": "Usamos cookies. Aceptar todas o configurar.",
    "nl": "Wij gebruiken cookies. Alles accepteren of instellingen beheren.",
}


def render(page: dict) -> str:
    e = html.escape
    lang = page.get("lang", "en")
    layout = page.get("layout", "blog")
    site = page.get("site", "")
    title = page["title"]
    head_title = f"{title} | {site}" if site and layout != "short" else title
    meta = ['<meta charset="utf-8">', f"<title>{e(head_title)}</title>"]
    if page.get("desc"):
        meta.append(f'<meta name="description" content="{e(page["desc"], quote=True)}">')
    if layout in ("blog", "news", "shop"):
        meta.append(f'<meta property="og:title" content="{e(title, quote=True)}">')
        meta.append(f'<meta property="og:site_name" content="{e(site, quote=True)}">')
        if page.get("desc"):
            meta.append(f'<meta property="og:description" content="{e(page["desc"], quote=True)}">')
    meta.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    nav = "".join(
        f'<li><a href="/{n.lower().replace(" ", "-")}">{e(n)}</a></li>' for n in NAV[layout]
    )
    body: list[str] = []
    for tag, text in page["blocks"]:
        body.append(f"<{tag}>{e(text)}</{tag}>")
    inner = "\n      ".join(body)
    wrapper = "article" if layout in ("blog", "news") else "main"
    extra = ""
    if layout == "blog":
        extra = '<aside><h3>Popular posts</h3><ul><li>Our story</li></ul></aside>'
    if layout == "shop":
        extra = '<form><button type="submit">Add to basket</button></form>'
    return f"""<!doctype html>
<html lang="{lang}">
  <head>
    {chr(10).join('    ' + m if i else m for i, m in enumerate(meta))}
    <link rel="stylesheet" href="/static/site.css">
    <script>window.dataLayer = window.dataLayer || [];</script>
  </head>
  <body>
    <header><a class="logo" href="/">{e(site)}</a><nav><ul>{nav}</ul></nav></header>
    <div class="cookie-banner" hidden>{e(COOKIE.get(lang, COOKIE['en']))}</div>
    <{wrapper}>
      {inner}
    </{wrapper}>
    {extra}
    <footer><p>&copy; 2026 {e(site)}. All rights reserved.</p>
      <nav><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></nav></footer>
  </body>
</html>
"""


def main() -> None:
    pages = parse_specs(sorted((HERE / "src").glob("pages-*.txt")))
    out = HERE / "pages"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    for page in pages:
        assert re.fullmatch(r"[a-z0-9-]+", page["id"]), page["id"]
        (out / f"{page['id']}.html").write_text(render(page), encoding="utf-8")
    print(f"{len(pages)} pages -> {out}")


if __name__ == "__main__":
    main()
