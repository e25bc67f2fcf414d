"""Turn UrlReports into Findings on each link, with exact Fix edits of the destination span."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urldefrag

from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Fix, Link, Severity
from linkwriter.core.net import report as R
from linkwriter.core.net.report import UrlReport
from linkwriter.core.net.rules import NETWORK_RULE_IDS, network_rule
from linkwriter.core.post import Post
from linkwriter.core.urlparts import split_url


def urls_for_post(post: Post) -> list[str]:
    """The URLs to hand to NetworkChecker.check for a post (each once, http(s) only)."""
    out: dict[str, None] = {}
    for link in post.links:
        url = _link_url(link)
        if url not in out and _is_http(url):
            out[url] = None
    return list(out)


@functools.lru_cache(maxsize=1 << 14)
def _is_http(url: str) -> bool:
    # Cached: the editor asks again after every edit, for thousands of mostly unchanged URLs.
    return split_url(url).scheme.lower() in ("http", "https")


def image_urls(post: Post) -> set[str]:
    """Image links need no body: pass these as check(..., head_only=...)."""
    return {_link_url(link) for link in post.links if link.is_image}


def _link_url(link: Link) -> str:
    return (link.href or link.url).strip()


def check_post_links(
    post: Post,
    config: Config,
    *,
    cache: Any = None,
    progress: Any = None,
    cancel: Any = None,
) -> tuple[dict[str, UrlReport], list[Finding]]:
    """Everything the app's background worker needs for one post: reports and findings.
    Blocking; run it off the GUI thread. Nothing is fetched when the config says offline."""
    from linkwriter.core.net.checker import NetworkChecker

    with NetworkChecker(config, cache, progress=progress, cancel=cancel) as checker:
        reports = checker.check(urls_for_post(post), head_only=image_urls(post))
    return reports, network_findings(post, reports, config)


def network_findings(post: Post, reports: Mapping[str, UrlReport], config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for index, link in enumerate(post.links):
        rep = reports.get(_link_url(link)) or reports.get(link.url)
        if rep is None or rep.verdict in R.NOT_CHECKED:
            continue
        for rule, message, fixes in _verdicts(post.text, link, rep):
            if rule in config.ignore:
                continue
            meta = network_rule(rule)
            severity = Severity(config.severity.get(rule, meta.severity.value))
            findings.append(
                Finding(
                    rule=rule,
                    category=meta.category,
                    severity=severity,
                    message=message,
                    start=link.start,
                    end=link.end,
                    fixes=tuple(fixes),
                    link_index=index,
                    data=_evidence(rep),
                )
            )
    return findings


def merge_insecure_http(findings: list[Finding]) -> list[Finding]:
    """The offline `insecure-http` finding and ours describe the same problem; keep one per link,
    preferring the one that carries the verified "use https" fix."""
    best: dict[int | None, Finding] = {}
    for f in findings:
        if f.rule == "insecure-http":
            current = best.get(f.link_index)
            if current is None or (f.fixes and not current.fixes):
                best[f.link_index] = f
    out = []
    for f in findings:
        if f.rule == "insecure-http" and best.get(f.link_index) is not f:
            continue
        out.append(f)
    return out


def _evidence(rep: UrlReport) -> dict:
    data: dict = {
        "url": rep.url,
        "verdict": rep.verdict,
        "status": rep.status,
        "statuses": rep.statuses,
        "redirects": [{"url": h.url, "status": h.status} for h in rep.redirects],
        "final_url": rep.final_url,
        "elapsed": rep.elapsed,
        "attempts": rep.attempts,
        "from_cache": rep.from_cache,
    }
    if rep.error:
        data["error"] = rep.error
    if rep.archived_url:
        data["archived_url"] = rep.archived_url
    if rep.threats:
        data["threats"] = rep.threats
    return data


def _dest(text: str, link: Link) -> tuple[int, int, str]:
    """The destination span without <angle brackets>, and the URL as written there."""
    start, end = link.dest_start, link.dest_end
    written = text[start:end]
    if written.startswith("<") and written.endswith(">") and len(written) >= 2:
        start, end = start + 1, end - 1
        written = written[1:-1]
    return start, end, written


def _replacement(url: str, link: Link, text: str) -> str:
    """A URL that Markdown will read back as the same destination at this spot."""
    start, end = link.dest_start, link.dest_end
    written = text[start:end]
    bracketed = (written[:1] == "<" and written[-1:] == ">") or (
        text[start - 1 : start] == "<" and text[end : end + 1] == ">"
    )
    url = url.replace(" ", "%20")
    if bracketed:
        return url.replace(">", "%3E").replace("<", "%3C")
    if not _balanced(url):
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def _balanced(url: str) -> bool:
    """CommonMark accepts parentheses in a bare destination only when they nest."""
    depth = 0
    for ch in url:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _fix(title: str, text: str, link: Link, url: str) -> Fix:
    start, end, _ = _dest(text, link)
    return Fix(title, start, end, _replacement(url, link, text))


def _verdicts(text: str, link: Link, rep: UrlReport) -> list[tuple[str, str, list[Fix]]]:
    out: list[tuple[str, str, list[Fix]]] = []
    shown = rep.url if len(rep.url) <= 80 else rep.url[:77] + "..."
    _, _, written = _dest(text, link)
    fragment = urldefrag(written)[1]
    archive_fix = (
        [_fix("Replace with the archived copy", text, link, rep.archived_url)]
        if rep.archived_url
        else []
    )
    v = rep.verdict
    if v == R.BROKEN:
        out.append(
            (
                "broken-link",
                f"Broken link: {shown} ({rep.error or 'no page'}). Readers hit a dead end "
                "and search engines read dead links as neglect; replace it"
                + (" with the archived copy" if rep.archived_url else " or remove it")
                + ".",
                archive_fix,
            )
        )
    elif v == R.TLS_ERROR:
        out.append(
            (
                "tls-error",
                f"{rep.error or 'TLS error'} at {shown}: browsers show readers a security warning "
                "instead of the page. Link another source or tell the site owner.",
                [],
            )
        )
    elif v == R.TIMEOUT:
        out.append(
            (
                "timeout",
                f"No answer from {shown} ({rep.error or 'timed out'}), even after "
                "retries; readers may "
                "give up too. Check it in your browser later.",
                [],
            )
        )
    elif v == R.REDIRECT_LOOP:
        out.append(
            (
                "redirect-loop",
                f"{shown} redirects in a circle ({rep.error}); browsers give up. Find the page's "
                "working address.",
                [],
            )
        )
    elif v == R.SOFT_404:
        out.append(
            (
                "soft-404",
                f"{shown} answers, but {rep.soft_404_reason or 'shows a not-found page'}; "
                "readers do "
                "not get the page you linked. Find its new address"
                + (" or use the archived copy." if rep.archived_url else "."),
                archive_fix,
            )
        )
    elif v == R.BLOCKED:
        out.append(
            (
                "blocked-by-site",
                f"Couldn't verify {shown}: {rep.error or 'the site refuses automated clients'}. "
                "This "
                "does not mean it is broken; open it in your browser to confirm.",
                [],
            )
        )
    if rep.threats:
        kinds = ", ".join(t.replace("_", " ").lower() for t in rep.threats)
        out.append(
            (
                "unsafe-site",
                f"Google Safe Browsing lists {shown} ({kinds}); sending readers "
                "there can harm them "
                "and your reputation. Remove the link.",
                [],
            )
        )
    if v != R.OK:
        return out

    final = rep.final_url
    if rep.redirects and final and final != rep.fetch_url:
        target = final if urldefrag(final)[1] or not fragment else f"{final}#{fragment}"
        if rep.cross_domain:
            out.append(
                (
                    "cross-domain-redirect",
                    f"{shown} ends up on another site: {final}. Domains get sold, "
                    "parked or hijacked; "
                    "check that readers land where you meant, then link the final address.",
                    [_fix("Use the final URL", text, link, target)],
                )
            )
        elif rep.permanent_redirect:
            out.append(
                (
                    "redirected",
                    f"{shown} permanently redirects to {final}; linking the final address saves "
                    "readers a round trip and passes ranking signals directly.",
                    [_fix("Use the final URL", text, link, target)],
                )
            )
    if rep.fragment_found is False:
        out.append(
            (
                "missing-fragment",
                f"The page has no #{rep.fragment} anchor, so readers land at "
                "the top instead of the "
                "section you meant. Pick the section's current anchor or drop the fragment.",
                [_fix(f"Remove #{rep.fragment}", text, link, urldefrag(written)[0])],
            )
        )
    if rep.content_changed and rep.previous_snapshot is not None and rep.snapshot is not None:
        before, after = rep.previous_snapshot, rep.snapshot
        what = (
            f"title was {before.title!r}, now {after.title!r}"
            if before.title != after.title
            else "its main text changed"
        )
        out.append(
            (
                "content-changed",
                f"The page behind {shown} changed since {before.date[:10]} ({what}); check that it "
                "still supports your sentence.",
                [],
            )
        )
    if rep.https_url and written[:7].lower() == "http://":
        out.append(
            (
                "insecure-http",
                f"{shown} uses plain http, and the https version serves the same page; https "
                "protects readers and browsers mark http pages 'Not secure'.",
                [_fix("Use https", text, link, "https://" + written[7:])],
            )
        )
    return out


assert {"broken-link", "content-changed", "insecure-http"} <= NETWORK_RULE_IDS
