"""Page metadata from HTML with the standard library parser: title, description, og: tags,
h1-h3, language, anchors (ids and names) and the first words of the main text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_WORDS = 3000
MAX_ANCHORS = 20000
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "nav",
    "footer",
    "header",
    "aside",
}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
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


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._anchor_set: set[str] = set()
        self._stack: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._title: list[str] = []
        self._heading: list[str] | None = None
        self._main_depth = 0
        self._all_words: list[str] = []
        self._main_words: list[str] = []
        self._saw_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        for key in ("id", "name") if tag in ("a", "div", "span", "section", "p") else ("id",):
            value = a.get(key, "")
            if key == "name" and tag != "a":
                continue
            if value and value not in self._anchor_set and len(self._anchor_set) < MAX_ANCHORS:
                self._anchor_set.add(value)
                self.page.anchors.append(value)
        if tag == "html" and a.get("lang"):
            self.page.language = a["lang"].strip()
        elif tag == "meta":
            self._meta(a)
        elif tag == "title" and not self.page.title:
            self._in_title = True
        if tag in _VOID:
            return
        self._stack.append(tag)
        if tag in _SKIP and tag != "head":
            self._skip_depth += 1
        if tag in ("main", "article"):
            self._main_depth += 1
            self._saw_main = True
        if tag in ("h1", "h2", "h3") and self._heading is None:
            self._heading = []

    def _meta(self, a: dict[str, str]) -> None:
        name = a.get("name", "").lower()
        prop = a.get("property", "").lower()
        content = _SPACE.sub(" ", a.get("content", "")).strip()
        if name == "description" and not self.page.description:
            self.page.description = content
        if prop.startswith("og:") and prop not in self.page.og:
            self.page.og[prop] = content

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.page.title = _SPACE.sub(" ", "".join(self._title)).strip()
        if tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            if open_tag in _SKIP and open_tag != "head":
                self._skip_depth -= 1
            if open_tag in ("main", "article"):
                self._main_depth -= 1
            if open_tag in ("h1", "h2", "h3") and self._heading is not None:
                text = _SPACE.sub(" ", "".join(self._heading)).strip()
                if text:
                    self.page.headings.append(text)
                self._heading = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
            return
        if self._heading is not None:
            self._heading.append(data)
        if self._skip_depth or "head" in self._stack:
            return
        if len(self._all_words) < MAX_WORDS:
            self._all_words.extend(data.split())
        if self._main_depth and len(self._main_words) < MAX_WORDS:
            self._main_words.extend(data.split())

    def finish(self) -> ParsedPage:
        words = self._main_words if self._saw_main and self._main_words else self._all_words
        self.page.text = " ".join(words[:MAX_WORDS])
        if self._in_title:
            self.page.title = _SPACE.sub(" ", "".join(self._title)).strip()
        return self.page


def parse_html(html: str) -> ParsedPage:
    parser = _Parser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was parsed
        pass
    return parser.finish()


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
