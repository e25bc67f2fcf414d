"""Page metadata from HTML: title, description, og: tags, h1-h3, language, anchors (ids and
names) and the first words of the main text.

Regular expressions over the markup rather than a full parser: a check run reads a thousand
pages, the fields wanted are few, and a tokenizer in pure Python costs several times more CPU
for the same answers. Malformed markup degrades to fewer fields, never to an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

MAX_WORDS = 3000
MAX_ANCHORS = 20000

_F = re.S | re.I
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SKIP_BLOCK = re.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>", _F)
_CHROME_BLOCK = re.compile(r"<(nav|header|footer|aside)\b[^>]*>.*?</\1\s*>", _F)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", _F)
_LANG = re.compile(r"<html\b[^>]*?\slang\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_META = re.compile(r"<meta\b([^>]*)>", re.I)
_ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)")
_TAG_WITH_ANCHOR = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\s([^>]*?\b(?:id|name)\s*=[^>]*)>")
_HEADING = re.compile(r"<h([1-3])\b[^>]*>(.*?)</h\1\s*>", _F)
_MAIN = re.compile(r"<(main|article)\b[^>]*>(.*?)</\1\s*>", _F)
_BODY = re.compile(r"<body\b[^>]*>(.*)", _F)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass
class ParsedPage:
    language: str = ""
    title: str = ""
    description: str = ""
    og: dict[str, str] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    text: str = ""  # main text (inside <main>/<article> when the page has one)


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in _ATTR.findall(raw):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        out.setdefault(name.lower(), unescape(value))
    return out


def _plain(fragment: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", fragment))).strip()


def parse_html(html: str) -> ParsedPage:
    page = ParsedPage()
    html = _COMMENT.sub(" ", html)
    match = _TITLE.search(html)
    if match:
        page.title = _plain(match.group(1))
    match = _LANG.search(html)
    if match:
        page.language = match.group(1)
    for raw in _META.findall(html):
        if "content" not in raw.lower():
            continue
        a = _attrs(raw)
        content = _SPACE.sub(" ", a.get("content", "")).strip()
        name, prop = a.get("name", "").lower(), a.get("property", "").lower()
        if name == "description" and not page.description:
            page.description = content
        if prop.startswith("og:") and prop not in page.og:
            page.og[prop] = content
    body = _SKIP_BLOCK.sub(" ", html)
    seen: set[str] = set()
    for tag, raw in _TAG_WITH_ANCHOR.findall(body):
        a = _attrs(raw)
        for key in ("id", "name"):
            value = a.get(key, "")
            if key == "name" and tag.lower() != "a":
                continue
            if value and value not in seen and len(seen) < MAX_ANCHORS:
                seen.add(value)
                page.anchors.append(value)
    page.headings = [t for t in (_plain(m.group(2)) for m in _HEADING.finditer(body)) if t]
    mains = [m.group(2) for m in _MAIN.finditer(body)]
    if mains:
        region = " ".join(mains)
    else:
        match = _BODY.search(body)
        region = match.group(1) if match else body
    region = _CHROME_BLOCK.sub(" ", region)
    words = unescape(_TAG.sub(" ", region)).split()
    page.text = " ".join(words[:MAX_WORDS])
    return page


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def decode_html(data: bytes, content_type: str) -> str:
    """Decode with the header charset, else the <meta charset>, else UTF-8 (lossy, never fails)."""
    charset = ""
    match = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._:-]+)", content_type, re.I)
    if match:
        charset = match.group(1)
    else:
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            charset = meta.group(1).decode("ascii", "replace")
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


def is_html(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml", "")
