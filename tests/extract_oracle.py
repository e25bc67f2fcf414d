"""The correctness oracle: hrefs/srcs in markdown-it-py's own HTML rendering of a body."""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def reference_md() -> MarkdownIt:
    md = MarkdownIt("gfm-like")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        want = {"a": "href", "img": "src"}.get(tag)
        if want is None:
            return
        for k, v in attrs:
            if k == want:
                self.hrefs.append(v or "")
                return

    handle_startendtag = handle_starttag


def rendered_hrefs(body: str) -> list[str]:
    c = _Collector()
    c.feed(reference_md().render(body))
    c.close()
    return c.hrefs
