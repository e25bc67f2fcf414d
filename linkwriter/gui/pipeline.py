"""The analysis of one text snapshot, as plain data: no Qt, so it can run in another process.

The GUI sends (revision, text, config, network reports) and gets back an AnalysisResult with
every span already converted to Qt's UTF-16 positions.
"""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Severity, worst_severity
from linkwriter.core.offsets import Utf16Map
from linkwriter.core.post import Post

VERDICTS = ("ok", "unchecked", "info", "warning", "error")

# The whole-post marker is applied by core.analysis.settle; re-exported for the GUI's own use.
from linkwriter.core.analysis import POST_IGNORE_RE, post_ignored_rules  # noqa: E402,F401


@cache
def _pipeline() -> tuple[Any, Any, Any]:
    """The core entry points that exist in this build (later helpers land them one by one)."""
    analyze = parse_post = check_post = None
    with contextlib.suppress(ImportError):
        from linkwriter.core.analysis import analyze
    with contextlib.suppress(ImportError):
        from linkwriter.core.extract import parse_post
    with contextlib.suppress(ImportError):
        from linkwriter.core.rules import check_post
    return analyze, parse_post, check_post


_EXTRACTORS: OrderedDict[str, Any] = OrderedDict()  # per document, in the worker process
MAX_EXTRACTORS = 8


def _parse(text: str, doc_id: str | None, parse_post: Any) -> Post:
    """Re-parse only what changed since this document's last analysis, when the core can."""
    if doc_id is None:
        return parse_post(text)
    try:
        from linkwriter.core.incremental import IncrementalExtractor
    except ImportError:
        return parse_post(text)
    extractor = _EXTRACTORS.pop(doc_id, None) or IncrementalExtractor()
    _EXTRACTORS[doc_id] = extractor
    while len(_EXTRACTORS) > MAX_EXTRACTORS:
        _EXTRACTORS.popitem(last=False)
    try:
        return extractor.update(text)
    except Exception:  # never let an incremental bug cost the writer a result
        _EXTRACTORS.pop(doc_id, None)
        return parse_post(text)


def run_pipeline(
    text: str, config: Config, reports: dict[str, Any] | None = None, doc_id: str | None = None
) -> tuple[Post, list[Finding]]:
    """THE one place the GUI calls the core: text -> (Post, findings) with ignores applied.

    reports: network UrlReports gathered so far (by URL), turned into findings on this text.
    """
    analyze, parse_post, check_post = _pipeline()
    if parse_post is None:
        return Post(text=text, word_count=len(text.split())), []
    post = _parse(text, doc_id, parse_post)
    extra: list[Finding] = []
    if reports:
        with contextlib.suppress(ImportError):
            from linkwriter.core.net import network_findings

            extra = list(network_findings(post, reports, config))
    if analyze is not None:
        findings = list(analyze(post, config, extra=extra).findings)
    else:
        findings = list(check_post(post, config)) if check_post is not None else []
        findings = _apply_config(post, findings + extra, config)
    ignored = post_ignored_rules(text)
    if ignored:
        findings = [f for f in findings if f.rule not in ignored]
    return post, findings


def _apply_config(post: Post, findings: list[Finding], config: Config) -> list[Finding]:
    """Ignore list, severity overrides and ignore markers (stand-in until core.analysis)."""
    from dataclasses import replace

    silenced: dict[int, tuple[str, ...]] = {
        m.link_index: m.rules for m in post.ignore_markers if m.link_index is not None
    }
    out = []
    for f in findings:
        if f.rule in config.ignore:
            continue
        if f.link_index is not None and f.link_index in silenced:
            rules = silenced[f.link_index]
            if not rules or f.rule in rules:
                continue
        if f.rule in config.severity:
            f = replace(f, severity=Severity(config.severity[f.rule]))
        out.append(f)
    return out


@dataclass
class AnalysisResult:
    revision: int
    text: str
    post: Post
    findings: list[Finding]
    verdicts: list[str]  # per link, one of VERDICTS
    link_spans: list[tuple[int, int, int]]  # (utf16 start, utf16 end, link index)
    utf16: Utf16Map
    elapsed_ms: float = 0.0
    error: str | None = None
    by_link: dict[int, list[Finding]] = field(default_factory=dict)
    network_done: bool = True

    def to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.utf16.to_utf16(start), self.utf16.to_utf16(end)


def build_result(
    revision: int, text: str, config: Config, reports: dict[str, Any] | None = None,
    doc_id: str | None = None,
) -> AnalysisResult:
    """Pure work done in the worker thread, including the UTF-16 conversion of every span."""
    t0 = time.perf_counter()
    error = None
    reports = reports or {}
    checked_ok = {u for u, r in reports.items() if getattr(r, "verdict", None) == "ok"}
    try:
        post, findings = run_pipeline(text, config, reports, doc_id)
    except Exception as exc:  # a rule bug must not kill the app; show it in the status bar
        post, findings = Post(text=text), []
        error = f"analysis failed: {type(exc).__name__}: {exc}"
    findings.sort(key=lambda f: (f.start, f.end, -f.severity.rank, f.rule))
    by_link: dict[int, list[Finding]] = {}
    for f in findings:
        if f.link_index is not None:
            by_link.setdefault(f.link_index, []).append(f)
    utf16 = Utf16Map(text)
    verdicts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for i, link in enumerate(post.links):
        worst = worst_severity(by_link.get(i, ()))
        if worst is not None:
            verdict = worst.value
        else:
            target = (link.href or link.url).strip()
            verdict = "ok" if target in checked_ok or link.url in checked_ok else "unchecked"
        verdicts.append(verdict)
        spans.append((utf16.to_utf16(link.start), utf16.to_utf16(link.end), i))
    return AnalysisResult(
        revision=revision,
        text=text,
        post=post,
        findings=findings,
        verdicts=verdicts,
        link_spans=spans,
        utf16=utf16,
        elapsed_ms=(time.perf_counter() - t0) * 1000,
        error=error,
        by_link=by_link,
    )


def warm_up() -> bool:
    """Import the core in a worker so the first real analysis does not pay for it."""
    build_result(0, "[warm](https://example.com) up", Config())
    return True
