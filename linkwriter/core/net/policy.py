"""Which URLs are fetched and how: schemes, excluded patterns, remaps, accepted codes."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from linkwriter.core.config import NetworkConfig

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_STATUSES = frozenset({301, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
BLOCKED_STATUSES = frozenset({401, 403, 999})
_NOT_FOUND_TITLE = re.compile(
    r"(?:^|[|\-–—:]\s*)404\b"  # "404 Not Found", "Blog | 404"
    r"|\b(?:error|http)\s*404\s*(?:$|[|\-–—:!]|error|page|not)"
    r"|\b404\s*(?:error|page|[|\-–—:!])"
    r"|\b(?:page|file|document|article|post|content|resource|url)\s+(?:was\s+)?not\s+found\b"
    r"|^\s*not\s+found\b"
    r"|\b(?:can['’]?t|cannot|could\s+not|couldn['’]t)\s+be\s+found\b"
    r"|\bpage\s+(?:does\s+not|doesn['’]t|no\s+longer)\s+exists?\b"
    r"|\bno\s+longer\s+(?:available|exists)\b"
    r"|\bnothing\s+(?:was\s+)?found\b",
    re.I,
)


class UrlPolicy:
    def __init__(self, net: NetworkConfig) -> None:
        self.net = net
        self.exclude = [re.compile(p) for p in net.exclude]
        self.remaps = [(re.compile(p), r) for p, r in net.remap]
        self.accept = set(net.accept)
        self.hosts = {k.lower(): v for k, v in net.hosts.items()}

    @staticmethod
    def checkable(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)

    def excluded(self, url: str) -> bool:
        return any(p.search(url) for p in self.exclude)

    def fetch_url(self, url: str) -> str:
        """Remapped, without the fragment: the one URL that is fetched for all its spellings."""
        out = urldefrag(url)[0]
        for pattern, replacement in self.remaps:
            out = pattern.sub(replacement, out)
        return out

    def host_settings(self, netloc: str) -> dict:
        netloc = netloc.lower()
        if netloc in self.hosts:
            return self.hosts[netloc]
        return self.hosts.get(netloc.rsplit(":", 1)[0], {})

    def accepted(self, status: int, netloc: str) -> bool:
        if 200 <= status < 300 or status in self.accept:
            return True
        extra = self.host_settings(netloc).get("accept", [])
        return isinstance(extra, list) and status in extra


def title_says_not_found(title: str) -> bool:
    return bool(_NOT_FOUND_TITLE.search(title or ""))


def registrable_domain(host: str) -> str:
    """example.co.uk for www.example.co.uk; IPs and unknown suffixes are returned whole."""
    host = (host or "").lower().rstrip(".")
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return host
    try:
        from publicsuffixlist import PublicSuffixList
    except ImportError:  # pragma: no cover - declared dependency
        return host
    global _PSL
    if _PSL is None:
        _PSL = PublicSuffixList()
    return _PSL.privatesuffix(host) or host


_PSL = None
