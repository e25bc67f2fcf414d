"""Links written as raw HTML (`<a href>`, `<img src>`) and linkwriter-ignore markers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

IGNORE_RE = re.compile(r"<!--\s*linkwriter-ignore\b\s*:?([^>]*?)\s*-->", re.IGNORECASE)
_MAYBE_LINK = re.compile(r"<(?:a|img)[\s/>]", re.IGNORECASE)
_CLOSE_A = re.compile(r"</a\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(slots=True)
class HtmlLink:
    tag: str  # "a" or "img"
    url: str  # raw attribute value as written
    href: str  # what a browser reads (entities decoded)
    start: int  # the whole opening tag
    end: int
    dest_start: int
    dest_end: int
    label_start: int
    label_end: int
    text: str


def _attr_span(tag_text: str, name: str) -> tuple[int, int] | None:
    pattern = re.compile(
        r"(?<=[\s\"'/])" + name + r"\s*(?:=+\s*(?:'([^']*)'|\"([^\"]*)\"|([^>\s]*)))?",
        re.IGNORECASE,
    )
    m = pattern.search(tag_text)
    if m is None:
        return None
    for g in (1, 2, 3):
        if m.group(g) is not None:
            return m.start(g), m.end(g)
    return m.end(), m.end()


class _TagScanner(HTMLParser):
    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]], int, str]] = []
        self._starts = [0, *(m.end() for m in re.finditer("\n", fragment))]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "img"):
            line, col = self.getpos()
            text = self.get_starttag_text() or ""
            self.found.append((tag, attrs, self._starts[line - 1] + col, text))

    handle_startendtag = handle_starttag


def html_links(fragment: str) -> list[HtmlLink]:
    """`<a href>` and `<img src>` tags in a raw HTML fragment, positions relative to it."""
    if not _MAYBE_LINK.search(fragment):
        return []
    scanner = _TagScanner(fragment)
    scanner.feed(fragment)
    scanner.close()
    out: list[HtmlLink] = []
    for tag, attrs, start, tag_text in scanner.found:
        want = "href" if tag == "a" else "src"
        value = next((v for k, v in attrs if k == want), False)
        if value is False:
            continue
        span = _attr_span(tag_text, want)
        if span is None:
            continue
        end = start + len(tag_text)
        dest_start, dest_end = start + span[0], start + span[1]
        raw = fragment[dest_start:dest_end]
        if tag == "a":
            close = _CLOSE_A.search(fragment, end)
            label_start = end
            label_end = close.start() if close else end
            text = html.unescape(_TAGS.sub("", fragment[label_start:label_end]))
        else:
            alt = _attr_span(tag_text, "alt")
            label_start, label_end = (start + alt[0], start + alt[1]) if alt else (end, end)
            text = html.unescape(fragment[label_start:label_end])
        out.append(HtmlLink(tag, raw, value or "", start, end, dest_start, dest_end,
                            label_start, label_end, " ".join(text.split())))
    return out


def ignore_rules(spec: str) -> tuple[str, ...]:
    return tuple(r for r in re.split(r"[\s,]+", spec.strip()) if r)
