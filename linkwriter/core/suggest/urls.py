"""Small URL helpers the suggestion engine needs (host, registrable domain, slug words)."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def host_of(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    elif not _SCHEME.match(url) and re.match(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/|$)", url):
        url = "http://" + url  # "www.example.com/x" written without a scheme
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def domain_matches(host: str, domain: str) -> bool:
    """host is domain or a subdomain of it; a domain with a path part never matches a host."""
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


@cache
def _psl():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable(host: str) -> str:
    if not host:
        return ""
    try:
        return _psl().privatesuffix(host) or host
    except Exception:  # noqa: BLE001 - a malformed host must not break suggestions
        return host


def is_internal(url: str, site_domains: tuple[str, ...] = ()) -> bool:
    """A relative link, a same-page anchor, or a link to one of the writer's own domains."""
    url = url.strip()
    if not url:
        return False
    if url.startswith("#"):
        return True
    if _SCHEME.match(url):
        if not url.lower().startswith(("http:", "https:")):
            return False
        host = host_of(url)
        return any(domain_matches(host, d) for d in site_domains if d)
    if url.startswith("//"):
        host = host_of(url)
        return any(domain_matches(host, d) for d in site_domains if d)
    # A domain written without a scheme ("example.com/x") is external; anything else is a path.
    return not re.match(r"^(?:www\.)?[\w-]+\.(?:com|org|net|io|dev|co|uk|de)(?:/|$)", url)


def slug_words(url: str) -> list[str]:
    """Words of the last meaningful path segment: '/guides/sourdough-starter-basics/' ->
    ['sourdough', 'starter', 'basics']."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    segments = [unquote(s) for s in path.split("/") if s]
    for seg in reversed(segments):
        seg = re.sub(r"\.(?:html?|php|aspx?|md|pdf)$", "", seg, flags=re.I)
        words = [w for w in re.split(r"[-_+.\s]+", seg) if w]
        if not words or all(w.isdigit() for w in words):
            continue
        if len(words) == 1 and (len(words[0]) < 4 or re.search(r"\d", words[0])):
            continue  # ids, "dp", "en", hashes
        if any(len(w) > 20 for w in words):
            continue
        alpha = [w for w in words if w.isalpha()]
        if len(alpha) * 2 <= len(words) or any(
            re.search(r"\d", w) and re.search(r"[a-z]", w, re.I) for w in words
        ):
            continue  # "s41586-020-2649-2", "B07XYZ": identifiers, not words
        return ["I" if w.lower() == "i" else w.lower() for w in words]
    return []
