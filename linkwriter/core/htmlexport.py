"""Markdown to HTML for the preview and "Export HTML…", with safe links and rel attributes.

rel="sponsored" marks paid and affiliate links, rel="nofollow" links the writer does not vouch
for, rel="noopener" every link opened in a new tab: what search engines and browsers expect.
Links with a script-capable scheme (javascript:, vbscript:, data:, file:) are neutralised.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from functools import cache
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_ATTR_RE = re.compile(
    r"""(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG_RE = re.compile(r"<(?P<tag>a|img|area|iframe|form|link|script|embed|object|source|video"
                     r"|audio)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BLOCKED_HREF = "#blocked-unsafe-link"


@cache
def _markdown():  # noqa: ANN202
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("gfm-like", {"html": True}).use(front_matter_plugin)


def is_safe_url(url: str) -> bool:
    """Relative links and http(s)/mailto/ftp/tel are safe; any other scheme is not."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return m is None or m.group(1).lower() in SAFE_SCHEMES


def host_of(url: str) -> str:
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def domain_matches(host: str, domains: Collection[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _parse_attrs(attrs: str) -> list[tuple[str, str | None]]:
    out = []
    for m in _ATTR_RE.finditer(attrs):
        value = m.group("value")
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        out.append((m.group("name"), value))
    return out


def _format_attrs(attrs: list[tuple[str, str | None]]) -> str:
    parts = []
    for name, value in attrs:
        if value is None:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{html.escape(html.unescape(value), quote=True)}"')
    return "".join(parts)


def rewrite_links(
    body: str,
    *,
    sponsored: Collection[str] = (),
    nofollow: Collection[str] = (),
    sponsored_domains: Collection[str] = (),
    nofollow_domains: Collection[str] = (),
) -> str:
    """Neutralise unsafe URLs in every tag and add rel values to <a> tags.

    sponsored / nofollow: exact hrefs; *_domains: registrable domains (subdomains included).
    """

    def fix(m: re.Match[str]) -> str:
        tag = m.group("tag")
        raw = m.group("attrs")
        self_closing = raw.rstrip().endswith("/")
        attrs = _parse_attrs(raw.rstrip().rstrip("/"))
        out: list[tuple[str, str | None]] = []
        href = ""
        target_blank = False
        rel: list[str] = []
        for name, value in attrs:
            lname = name.lower()
            if lname.startswith("on"):
                continue  # event handlers never survive
            if lname in _URL_ATTRS and value is not None and not is_safe_url(value):
                value = BLOCKED_HREF
            if lname == "href":
                href = html.unescape(value or "")
            if lname == "target" and (value or "").lower() == "_blank":
                target_blank = True
            if lname == "rel":
                rel = (value or "").split()
                continue
            out.append((name, value))
        if tag.lower() == "a" and href:
            host = host_of(href)
            wanted = []
            if href in sponsored or (host and domain_matches(host, sponsored_domains)):
                wanted.append("sponsored")
            if href in nofollow or (host and domain_matches(host, nofollow_domains)):
                wanted.append("nofollow")
            if target_blank:
                wanted.append("noopener")
            rel += [r for r in wanted if r not in rel]
        if rel:
            out.append(("rel", " ".join(rel)))
        return f"<{tag}{_format_attrs(out)}{' /' if self_closing else ''}>"

    return _TAG_RE.sub(fix, body)


def render_body(text: str) -> str:
    return _markdown().render(text)


def render_html(
    text: str,
    *,
    title: str = "",
    standalone: bool = True,
    sponsored: Collection[str] = (),
    nofollow: Collection[str] = (),
    sponsored_domains: Collection[str] = (),
    nofollow_domains: Collection[str] = (),
) -> str:
    body = rewrite_links(render_body(text), sponsored=sponsored, nofollow=nofollow,
                         sponsored_domains=sponsored_domains, nofollow_domains=nofollow_domains)
    if not standalone:
        return body
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
