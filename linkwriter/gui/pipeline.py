"""The analysis of one text snapshot, as plain data: no Qt, so it can run in another process.

The GUI sends (revision, text, config, network reports) and gets back an AnalysisResult with
every span already converted to Qt's UTF-16 positions.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from linkwriter.core.analysis import analyze
from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.incremental import IncrementalExtractor
from linkwriter.core.model import Finding, worst_severity
from linkwriter.core.net import network_findings
from linkwriter.core.offsets import LineIndex, Utf16Map
from linkwriter.core.post import Post

VERDICTS = ("ok", "unchecked", "info", "warning", "error")

_EXTRACTORS: OrderedDict[str, Any] = OrderedDict()  # per document, in the worker process
MAX_EXTRACTORS = 8


def _parse(text: str, doc_id: str | None) -> Post:
    """Re-parse only what changed since this document's last analysis, when the core can."""
    if doc_id is None:
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
    post = _parse(text, doc_id)
    extra: list[Finding] = []
    if reports:
        extra = list(network_findings(post, reports, config))
    # analyze() applies the ignore list, severity overrides and both kinds of ignore marker.
    return post, list(analyze(post, config, extra=extra).findings)


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
    # Per finding, what the warnings panel shows: (row key, link label, line). Made here so
    # the GUI thread only copies it into the model.
    rows: list[tuple[str, str, int]] = field(default_factory=list)

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
        rows=panel_rows(text, post, findings),
    )


def row_keys(findings: list[Finding], link_urls: list[str]) -> list[str]:
    """Stable identities: the same problem on the same link keeps its row across edits."""
    seen: dict[str, int] = {}
    keys = []
    for f in findings:
        target = link_urls[f.link_index] if f.link_index is not None and f.link_index < len(
            link_urls) else "post"
        base = f"{f.category.value}|{f.rule}|{target}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(f"{base}|{n}")
    return keys


def panel_rows(text: str, post: Post, findings: list[Finding]) -> list[tuple[str, str, int]]:
    links = post.links
    keys = row_keys(findings, [link.url for link in links])
    lines: LineIndex | None = None
    rows = []
    for key, f in zip(keys, findings, strict=True):
        if f.link_index is not None and f.link_index < len(links):
            link = links[f.link_index]
            rows.append((key, link.text or link.url, link.line))
        else:
            lines = lines or LineIndex(text)
            rows.append((key, "(whole post)", lines.line_col(f.start)[0]))
    return rows


def warm_up() -> bool:
    """Import the core in a worker so the first real analysis does not pay for it."""
    build_result(0, "[warm](https://example.com) up", Config())
    return True
