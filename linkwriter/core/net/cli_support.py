"""What `linkwriter check` needs from the network checker: its flags, a progress bar on a
terminal (stderr only, so json/sarif output stays clean) and a one-line summary."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from linkwriter.core.config import Config
from linkwriter.core.model import Finding
from linkwriter.core.net.cache import Cache
from linkwriter.core.net.checker import NetworkChecker
from linkwriter.core.net.cli_flags import (  # noqa: F401  (re-exported for callers)
    add_network_arguments,
    apply_network_arguments,
    parse_duration,
)
from linkwriter.core.net.findings import image_urls, network_findings, urls_for_post
from linkwriter.core.net.report import UrlReport
from linkwriter.core.post import Post


def open_cache(config: Config, args: argparse.Namespace) -> Cache | None:
    if getattr(args, "no_cache", False) or config.network.offline:
        return None
    try:
        return Cache.from_config(config.network)
    except OSError as exc:  # read-only home, full disk: check without a cache
        print(
            f"linkwriter: cache unavailable ({exc.strerror or exc}); checking without it",
            file=sys.stderr,
        )
        return None


class ProgressBar:
    """A single redrawn line on a terminal; silent anywhere else."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._lock = threading.Lock()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int, url: str, report: UrlReport) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        with self._lock:
            if done < total and now - self._last < 0.1:
                return
            self._last = now
            width = 30
            filled = int(width * done / total) if total else width
            label = url if len(url) <= 40 else url[:37] + "..."
            self.stream.write(
                f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
            )
            self.stream.flush()
            self._drawn = True

    def finish(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


class EarlyStart:
    """Starts the network check while the posts are still being parsed: parse_post's on_link
    hands each page link over as soon as its paragraph is parsed, so the first requests leave
    before the whole post is read. check_posts then finishes the same run with the full list.
    The checker (and the cache) are only created when the first http(s) link turns up."""

    def __init__(
        self,
        config: Config,
        args: argparse.Namespace,
        *,
        progress_stream: TextIO | None = None,
        show_progress: bool = True,
        cancel: threading.Event | None = None,
        on_result: Callable[[str, UrlReport], None] | None = None,
    ) -> None:
        apply_network_arguments(config, args)
        self.config = config
        self.on_result = on_result
        self.args = args
        self.progress_stream = progress_stream
        self.show_progress = show_progress
        self.cancel = cancel
        self.checker: NetworkChecker | None = None
        self.cache: Cache | None = None
        self.bar: ProgressBar | None = None

    def on_link(self, href: str, is_image: bool) -> None:
        url = href.strip()
        if (
            is_image
            or self.config.network.offline
            or not url.lower().startswith(("http://", "https://"))
        ):
            return
        if self.checker is None:
            self.bar = ProgressBar(
                self.progress_stream, enabled=None if self.show_progress else False
            )
            self.cache = open_cache(self.config, self.args)
            self.checker = NetworkChecker(
                self.config,
                self.cache,
                progress=self.bar,
                cancel=self.cancel,
                on_result=self.on_result,
            )
        self.checker.prefetch(url)

    def close(self) -> None:
        if self.checker is not None:
            self.checker.close()
        if self.cache is not None:
            self.cache.close()
        self.checker = self.cache = None


def check_posts(
    posts: Iterable[Post],
    config: Config,
    args: argparse.Namespace,
    *,
    progress_stream: TextIO | None = None,
    show_progress: bool = True,
    cancel: threading.Event | None = None,
    early: EarlyStart | None = None,
    on_result: Callable[[str, UrlReport], None] | None = None,
) -> tuple[dict[str, UrlReport], NetworkChecker | None]:
    """Check every http(s) URL of the posts once; returns (reports by URL, the checker used).
    early: a run already started for this config while the posts were parsed."""
    posts = list(posts)
    apply_network_arguments(config, args)
    if early is not None and (early.config is not config or early.checker is None):
        early.close()  # not this run's identity, or nothing was started
        early = None
    if config.network.offline:
        return {}, None
    urls: dict[str, None] = {}
    images: set[str] = set()
    for post in posts:
        urls.update(dict.fromkeys(urls_for_post(post)))
        images |= image_urls(post)
    if not urls:
        if early is not None:
            early.close()
        return {}, None
    if early is not None:
        assert early.checker is not None and early.bar is not None
        bar, cache, checker = early.bar, early.cache, early.checker
    else:
        bar = ProgressBar(progress_stream, enabled=None if show_progress else False)
        cache = open_cache(config, args)
        checker = NetworkChecker(config, cache, progress=bar, cancel=cancel, on_result=on_result)
    try:
        reports = checker.check(urls, head_only=images)
    finally:
        bar.finish()
        checker.close()
        if cache is not None:
            cache.close()
    return reports, checker


@dataclass
class NetworkStage:
    """Result of the network part of `linkwriter check` for several posts at once."""

    findings: list[list[Finding]] = field(default_factory=list)  # per post, in input order
    link_fields: list[dict[int, dict[str, Any]]] = field(default_factory=list)  # per post
    reports: dict[str, UrlReport] = field(default_factory=dict)
    summary: str = ""  # one line for text output ("" when nothing was checked)
    notes: list[str] = field(default_factory=list)


def network_stage(
    items: Sequence[tuple[Post, Config]],
    args: argparse.Namespace,
    *,
    show_progress: bool = True,
    progress_stream: TextIO | None = None,
    cancel: threading.Event | None = None,
    early: EarlyStart | None = None,
    on_result: Callable[[str, UrlReport], None] | None = None,
) -> NetworkStage:
    """Check every post's links with one checker, so each URL is fetched once per run.

    Network settings come from the first post's config (a run has one network identity);
    findings use each post's own config for ignores and severities.
    """
    stage = NetworkStage()
    if not items:
        if early is not None:
            early.close()
        return stage
    started = time.monotonic()
    config = items[0][1]
    for _, cfg in items:
        apply_network_arguments(cfg, args)
    reports, checker = check_posts(
        [post for post, _ in items],
        config,
        args,
        progress_stream=progress_stream,
        show_progress=show_progress,
        cancel=cancel,
        early=early,
        on_result=on_result,
    )
    stage.reports = reports
    for post, cfg in items:
        stage.findings.append(network_findings(post, reports, cfg) if reports else [])
        stage.link_fields.append(link_fields(post, reports) if reports else {})
    if reports:
        stage.summary = summary_line(reports, time.monotonic() - started)
    if checker is not None:
        stage.notes = list(checker.notes)
    return stage


def link_fields(post: Post, reports: Mapping[str, UrlReport]) -> dict[int, dict[str, Any]]:
    """Per-link evidence for JSON output under a "network" key (verdict, status, chain...)."""
    out: dict[int, dict[str, Any]] = {}
    for index, link in enumerate(post.links):
        rep = reports.get((link.href or link.url).strip()) or reports.get(link.url)
        if rep is None:
            continue
        entry: dict[str, Any] = {
            "verdict": rep.verdict,
            "status": rep.status,
            "final_url": rep.final_url or None,
            "redirects": [{"url": h.url, "status": h.status} for h in rep.redirects],
            "elapsed": rep.elapsed,
            "from_cache": rep.from_cache,
        }
        if rep.error:
            entry["error"] = rep.error
        if rep.meta is not None:
            entry["title"] = rep.meta.title
            entry["language"] = rep.meta.language
        if rep.snapshot is not None:
            base = rep.previous_snapshot or rep.snapshot  # the page as first linked
            entry["snapshot"] = {
                "date": base.date,
                "title": base.title,
                "fingerprint": base.fingerprint,
                "changed": rep.content_changed,
            }
        out[index] = {"network": entry}
    return out


def summary_line(reports: Mapping[str, UrlReport], elapsed: float) -> str:
    counts = Counter(r.verdict for r in reports.values())
    cached = sum(1 for r in reports.values() if r.from_cache)
    parts = ", ".join(
        f"{n} {verdict}" for verdict, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    from_cache = f", {cached} from cache" if cached else ""
    return f"Network: {len(reports)} URLs in {elapsed:.2f} s ({parts}{from_cache})"
