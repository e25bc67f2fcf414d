"""What relevance needs to know about a target page, and two ways to get it.

The network checker stores a metadata record per URL; `page_info_from_metadata` accepts it as a
plain dict so joining the two features is a dictionary lookup. `page_info_from_html` extracts
the same fields from raw HTML with the standard library's parser, so relevance (and tests) can
run without the network checker, and the checker may reuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from html.parser import HTMLParser
from typing import Any

MAX_TEXT_WORDS = 3000  # the first few thousand words are plenty to tell what a page is about


@dataclass(frozen=True, slots=True)
class PageInfo:
    """The fields of a fetched page that say what it is about."""

    url: str
    final_url: str = ""
    title: str = ""
    description: str = ""
    headings: tuple[str, ...] = ()  # h1-h3 in document order
    text: str = ""  # main text, first few thousand words
    lang: str = ""  # declared language (html lang / Content-Language), may be empty
    og: Mapping[str, str] = field(default_factory=dict)  # "title", "description", "site_name", ...
    status: int | None = None
    content_type: str = ""

    @property
    def display_title(self) -> str:
        """The name a writer would recognise: og:title, <title>, first heading or the URL."""
        for candidate in (self.og.get("title", ""), self.title, *self.headings[:1]):
            if candidate and candidate.strip():
                return " ".join(candidate.split())
        return self.final_url or self.url

    @property
    def is_html(self) -> bool:
        ct = self.content_type.lower()
        return not ct or "html" in ct or "xml" in ct

    @property
    def has_content(self) -> bool:
        return bool(self.title or self.description or self.headings or self.text or self.og)


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _headings(value: Any) -> tuple[str, ...]:
    """Accept ["h1 text", ...], {"h1": [...], "h2": [...]} or [{"level": 1, "text": ...}]."""
    out: list[str] = []
    if isinstance(value, Mapping):
        for key in sorted(value):
            out.extend(_headings(value[key]))
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, str):
                out.append(item.strip())
            elif isinstance(item, Mapping):
                out.append(_str(item.get("text")))
    return tuple(h for h in out if h)


def page_info_from_metadata(meta: Mapping[str, Any] | Any, url: str = "") -> PageInfo:
    """Adapt the network checker's metadata record (a plain dict) to PageInfo.

    Known keys: url, final_url, status, content_type, lang (or language), title, description
    (or meta_description), og (a dict, or og_title/og_description keys, or "og:title" keys),
    headings (or h1/h2/h3), text (or main_text). Unknown keys are ignored, missing ones empty.
    """
    if not isinstance(meta, Mapping) and is_dataclass(meta):
        meta = asdict(meta)  # e.g. the network checker's PageMeta record itself
    og: dict[str, str] = {}
    raw_og = meta.get("og")
    if isinstance(raw_og, Mapping):
        og.update({str(k).removeprefix("og:"): _str(v) for k, v in raw_og.items() if _str(v)})
    for key, value in meta.items():
        if isinstance(key, str) and key.startswith(("og:", "og_")) and _str(value):
            og[key[3:]] = _str(value)
    headings = _headings(meta.get("headings"))
    if not headings:
        headings = _headings({k: meta[k] for k in ("h1", "h2", "h3") if k in meta})
    status = meta.get("status")
    return PageInfo(
        url=_str(meta.get("url")) or url,
        final_url=_str(meta.get("final_url")) or _str(meta.get("url")) or url,
        title=_str(meta.get("title")),
        description=_str(meta.get("description")) or _str(meta.get("meta_description")),
        headings=headings,
        text=_str(meta.get("text")) or _str(meta.get("main_text")),
        lang=_str(meta.get("lang")) or _str(meta.get("language")),
        og=og,
        status=status if isinstance(status, int) else None,
        content_type=_str(meta.get("content_type")),
    )


_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "aside",
         "form", "button", "select", "iframe"}
_BLOCK = {"p", "div", "li", "br", "section", "article", "main", "td", "th", "tr", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "figcaption", "table", "ul",
          "ol"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Extractor(HTMLParser):
    """Collects title, meta description, og:*, h1-h3 and visible main text in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.title_parts: list[str] = []
        self.description = ""
        self.og: dict[str, str] = {}
        self.headings: list[str] = []
        self.text_parts: list[str] = []
        self.main_parts: list[str] = []
        self._skip_depth = 0
        self._stack: list[str] = []
        self._in_title = False
        self._heading: list[str] | None = None
        self._in_main = 0
        self.words = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].strip()
        elif tag == "meta":
            name = (a.get("name") or a.get("property") or "").lower()
            content = " ".join(a.get("content", "").split())
            if name == "description" and content:
                self.description = content
            elif name.startswith("og:") and content:
                self.og.setdefault(name[3:], content)
            elif a.get("http-equiv", "").lower() == "content-language" and not self.lang:
                self.lang = content
            return
        if tag in _VOID:
            return
        self._stack.append(tag)
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in ("h1", "h2", "h3") and self._skip_depth == 0:
            self._heading = []
        elif tag in ("main", "article"):
            self._in_main += 1
        if tag in _BLOCK:
            self._push(" \n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        while self._stack:
            top = self._stack.pop()
            self._close(top)
            if top == tag:
                break

    def _close(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            text = " ".join("".join(self._heading).split())
            if text:
                self.headings.append(text)
            self._heading = None
        elif tag in ("main", "article"):
            self._in_main = max(0, self._in_main - 1)
        if tag in _BLOCK:
            self._push(" \n")

    def _push(self, data: str) -> None:
        if self.words > MAX_TEXT_WORDS:
            return
        self.text_parts.append(data)
        if self._in_main:
            self.main_parts.append(data)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
            return
        if self._skip_depth:
            return
        if self._heading is not None:
            self._heading.append(data)
        self.words += data.count(" ") + 1
        self._push(data)


def _join(parts: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def page_info_from_html(html: str, url: str, *, final_url: str = "", status: int | None = None,
                        content_type: str = "text/html") -> PageInfo:
    """Extract PageInfo from an HTML document; never raises on malformed markup."""
    parser = _Extractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; be safe on pathological input
        pass
    main = _join(parser.main_parts)
    text = main if len(main.split()) >= 30 else _join(parser.text_parts)
    words = text.split(" ")
    if len(words) > MAX_TEXT_WORDS:
        text = " ".join(words[:MAX_TEXT_WORDS])
    return PageInfo(
        url=url,
        final_url=final_url or url,
        title=" ".join("".join(parser.title_parts).split()),
        description=parser.description,
        headings=tuple(parser.headings),
        text=text,
        lang=parser.lang,
        og=dict(parser.og),
        status=status,
        content_type=content_type,
    )
