"""What the checker learned about one URL: verdict plus the evidence behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Verdicts. "ok" and the failure verdicts map onto rules in findings.py; the last group means
# "not checked" and never produces a finding.
OK = "ok"
BROKEN = "broken"
TLS_ERROR = "tls-error"
TIMEOUT = "timeout"
REDIRECT_LOOP = "redirect-loop"
SOFT_404 = "soft-404"
BLOCKED = "blocked"
EXCLUDED = "excluded"
PRIVATE = "private"
OFFLINE = "offline"
UNSUPPORTED = "unsupported"
CANCELLED = "cancelled"

FAILURES = frozenset({BROKEN, TLS_ERROR, TIMEOUT, REDIRECT_LOOP, SOFT_404, BLOCKED})
NOT_CHECKED = frozenset({EXCLUDED, PRIVATE, OFFLINE, UNSUPPORTED, CANCELLED})


@dataclass(slots=True)
class Hop:
    url: str
    status: int


@dataclass(slots=True)
class PageMeta:
    """What the relevance engine reads about a target page."""

    final_url: str = ""
    status: int = 0
    content_type: str = ""
    language: str = ""
    title: str = ""
    description: str = ""
    og: dict[str, str] = field(default_factory=dict)
    headings: list[str] = field(default_factory=list)  # h1-h3 in document order
    text: str = ""  # first few thousand words of the main text
    truncated: bool = False  # the body hit the size cap

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageMeta:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class Snapshot:
    """What the page said when the writer linked it, to notice drift later."""

    final_url: str
    title: str
    description: str
    fingerprint: str  # sha256 of the normalised main text
    simhash: int  # 64-bit similarity hash of the main text
    date: str  # ISO 8601 UTC

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(slots=True)
class UrlReport:
    url: str  # as asked (fragment included)
    verdict: str = OK
    fetch_url: str = ""  # what was fetched: remapped, without fragment
    status: int | None = None  # final HTTP status
    statuses: list[int] = field(default_factory=list)  # every status seen, retries included
    redirects: list[Hop] = field(default_factory=list)  # hops before the final URL
    final_url: str = ""
    permanent_redirect: bool = False  # every hop was 301/308
    cross_domain: bool = False  # the final registrable domain differs
    error: str = ""
    elapsed: float = 0.0  # seconds spent on this URL, retries included
    attempts: int = 0
    method: str = ""  # method of the final request
    fragment: str = ""
    fragment_found: bool | None = None  # None: not checked (no fragment or not HTML)
    anchors: list[str] = field(default_factory=list)  # ids and names on the page
    meta: PageMeta | None = None
    snapshot: Snapshot | None = None
    previous_snapshot: Snapshot | None = None
    content_changed: bool = False
    https_url: str = ""  # the https version answered with the same page
    archived_url: str = ""  # Wayback Machine copy, for broken links
    threats: list[str] = field(default_factory=list)  # Safe Browsing threat types
    soft_404_reason: str = ""
    from_cache: bool = False
    checked_at: float = 0.0  # epoch seconds

    @property
    def ok(self) -> bool:
        return self.verdict == OK

    def to_dict(self, *, anchors: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not anchors:
            data.pop("anchors", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UrlReport:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["redirects"] = [Hop(**h) for h in values.get("redirects", [])]
        for key, kind in (
            ("meta", PageMeta),
            ("snapshot", Snapshot),
            ("previous_snapshot", Snapshot),
        ):
            if values.get(key) is not None:
                values[key] = kind.from_dict(values[key])
        return cls(**values)
