"""The analysis of one text snapshot, as plain data: no Qt, so it can run in another process.

The GUI sends (revision, text, config, network reports) and gets back an AnalysisResult with
every span already converted to Qt's UTF-16 positions. The result carries the findings and what
the editor shows of each link, but not the Post: its links and their contexts are most of a
result's size, so they stayed the main cost of handing a big post's result over and of the GUI's
memory, while the GUI needs the Post only for a few actions. The worker keeps the last Posts
(stored_post) and the GUI fetches one when an action needs it (analysis.fetch_post).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from linkwriter.core.analysis import analyze, offline_providers
from linkwriter.core.cancel import Cancelled, cancellable
from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.incremental import IncrementalExtractor
from linkwriter.core.model import Category, Finding, Severity
from linkwriter.core.net import image_urls, network_findings, urls_for_post
from linkwriter.core.offsets import LineIndex, Utf16Map
from linkwriter.core.post import Post
from linkwriter.core.reanalysis import Reanalyzer
from linkwriter.core.relevance import pages_from_reports, relevance_provider
from linkwriter.gui import workercalls
from linkwriter.gui.result import AnalysisResult

_DOCS: OrderedDict[str, tuple[IncrementalExtractor, Reanalyzer]] = OrderedDict()  # per document
MAX_DOCS = 8
# The Posts of each document's latest analyses, by revision: a few, because the GUI may still
# show revision N while N+1 and N+2 are made. Only a few: after an edit most links are new
# objects (their positions moved), so each kept Post of a big post costs megabytes.
_POSTS: OrderedDict[str | None, OrderedDict[int, Post]] = OrderedDict()
POSTS_PER_DOC = 3


_NONE = object()


def _keep_recent(table: OrderedDict, key: Any, value: Any, cap: int, pinned: Any = _NONE) -> Any:
    """table[key] = value as the most recent entry; the oldest beyond cap are dropped, except
    the entry under `pinned`."""
    table.pop(key, None)
    table[key] = value
    while len(table) > cap:
        del table[next(k for k in table if k != pinned)]
    return value


def _document(doc_id: str) -> tuple[IncrementalExtractor, Reanalyzer]:
    state = _DOCS.get(doc_id) or (IncrementalExtractor(), Reanalyzer())
    return _keep_recent(_DOCS, doc_id, state, MAX_DOCS)


def run_pipeline(
    text: str, config: Config, reports: dict[str, Any] | None = None, doc_id: str | None = None
) -> tuple[Post, list[Finding]]:
    """THE one place the GUI calls the core: text -> (Post, findings) with ignores applied.

    reports: network UrlReports gathered so far (by URL), turned into findings on this text,
    and their page metadata into relevance verdicts, as `linkwriter check` does.
    With a doc_id, only what changed since this document's last analysis is re-parsed and
    re-judged (core.incremental, core.reanalysis); the findings are the same either way.
    """
    pages = pages_from_reports(reports) if reports else {}
    if doc_id is None:
        post = parse_post(text)
        providers = [*offline_providers(relevance=False), relevance_provider(pages)]
        extra = list(network_findings(post, reports, config)) if reports else []
        # analyze() applies the ignore list, severity overrides and both kinds of marker.
        return post, list(analyze(post, config, extra=extra, providers=providers).findings)
    extractor, reanalyzer = _document(doc_id)
    try:
        post = extractor.update(text)
        extra = list(network_findings(post, reports, config)) if reports else []
        return post, reanalyzer.analyze(post, config, pages, extra)
    except Cancelled:
        raise  # not a bug: a newer text is waiting (build_result)
    except Exception:  # never let an incremental bug cost the writer a result
        _DOCS.pop(doc_id, None)
        return run_pipeline(text, config, reports, None)


def _given_up_check(ticket: int) -> Callable[[], bool] | None:
    """For core.cancel: whether the GUI has given up the job with this ticket (the shared
    workercalls.cancel_flag holds it); None when there is no ticket or no flag."""
    flag = workercalls.cancel_flag()
    return (lambda: flag.value == ticket) if ticket and flag is not None else None


def prepare(doc_id: str, ticket: int = 0) -> int | None:
    """Idle-time work for the document's next edits (IncrementalExtractor.prepare): how many
    blocks it parsed ahead, or None when given up for an analysis (build_result's ticket)."""
    state = _DOCS.get(doc_id)
    if state is None:
        return 0
    given_up = _given_up_check(ticket)
    try:
        with _quiet_gc(idle=True), cancellable(given_up):
            return state[0].prepare()
    except Cancelled:
        return None


def stored_post(doc_id: str | None, revision: int) -> Post | None:
    """The Post an analysis of this document and revision made, if this process still has it."""
    return _POSTS.get(doc_id, {}).get(revision)


def suggest_stored(doc_id: str | None, revision: int, index: int, config: Config) -> Any:
    """Template lead-ins for a link of a kept Post, made here so the Post need not travel;
    None if this process no longer has it."""
    post = stored_post(doc_id, revision)
    if post is None or index >= len(post.links):
        return None
    from linkwriter.core.suggest import suggest_for_link

    return suggest_for_link(post, index, config, use_ai=False)


def _store_post(doc_id: str | None, revision: int, post: Post, shown: int | None = None) -> None:
    """Keep this Post among the document's newest, and never drop the one of the revision
    the window shows: its actions and suggestions ask for it, and without it the window
    would parse the whole post again itself (seconds of a busy GUI on a big post)."""
    kept = _keep_recent(_POSTS, doc_id, _POSTS.get(doc_id) or OrderedDict(), MAX_DOCS)
    _keep_recent(kept, revision, post, POSTS_PER_DOC, pinned=shown)


# In the worker process, the collector's full passes over everything the caches keep (the
# post, its links, per-link findings) cost more than the analysis of an edit; the analysis
# makes little cyclic garbage. So there it runs with the collector paused, then moves what
# survived to the permanent generation (gc.freeze), and does a full collection every
# FULL_GC_EVERY runs so cycles cannot pile up: in the idle-time job (prepare), where its
# 0.2 s on a 1 MB post keeps no one waiting; in an analysis only if no idle-time job came
# for twice as long (a thread worker, a window without a doc_id).
QUIET_GC = multiprocessing.parent_process() is not None
FULL_GC_EVERY = 64
_runs = 0  # since the last full collection


@contextlib.contextmanager
def _quiet_gc(idle: bool = False) -> Iterator[None]:
    global _runs
    if not QUIET_GC:
        yield
        return
    _runs += 1
    if _runs >= (FULL_GC_EVERY if idle else 2 * FULL_GC_EVERY):
        _runs = 0
        gc.unfreeze()
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def build_result(
    revision: int, text: str, config: Config, reports: dict[str, Any] | None = None,
    doc_id: str | None = None, ticket: int = 0, shown: int | None = None,
) -> AnalysisResult | None:
    """Pure work done in the worker thread, including the UTF-16 conversion of every span.

    None when the GUI gave this analysis up (workercalls.cancel_flag() turned to `ticket`)
    because a newer text is waiting: it goes straight to that one.
    shown: the revision whose result the window shows (its Post is kept, _store_post).
    """
    t0 = time.perf_counter()
    error = None
    reports = reports or {}
    checked_ok = {u for u, r in reports.items() if getattr(r, "verdict", None) == "ok"}
    given_up = _given_up_check(ticket)
    try:
        with _quiet_gc(), cancellable(given_up):
            post, findings = run_pipeline(text, config, reports, doc_id)
    except Cancelled:
        return None
    except Exception as exc:  # a rule bug must not kill the app; show it in the status bar
        post, findings = Post(text=text), []
        error = f"analysis failed: {type(exc).__name__}: {exc}"
    _share_messages(findings)
    # settle() returns the findings sorted by (start, end, worst first, rule): no re-sort.
    by_link: dict[int, list[Finding]] = {}
    worst: dict[int, Severity] = {}
    for f in findings:
        i = f.link_index
        if i is not None:
            group = by_link.get(i)
            if group is None:
                by_link[i] = [f]
                worst[i] = f.severity
            else:
                group.append(f)
                if f.severity.rank > worst[i].rank:
                    worst[i] = f.severity
    utf16 = Utf16Map(text)
    verdicts: list[str] = []
    for i, link in enumerate(post.links):
        w = worst.get(i)
        if w is not None:
            verdicts.append(w.value)
        else:
            target = (link.href or link.url).strip()
            verdicts.append(
                "ok" if target in checked_ok or link.url in checked_ok else "unchecked")
    if utf16.identity:
        spans = [(link.start, link.end, i) for i, link in enumerate(post.links)]
    else:
        to16 = utf16.to_utf16
        spans = [(to16(link.start), to16(link.end), i) for i, link in enumerate(post.links)]
    if given_up is not None and given_up():
        return None  # what is left is a tenth of the work, and the transfer: still worth it
    _store_post(doc_id, revision, post, shown)
    links = post.links
    return AnalysisResult(
        revision=revision,
        text=text,
        findings=findings,
        verdicts=verdicts,
        link_spans=spans,
        utf16=utf16,
        elapsed_ms=(time.perf_counter() - t0) * 1000,
        error=error,
        by_link=by_link,
        rows=panel_rows(text, post, findings),
        doc_id=doc_id,
        # The same string object wherever URL and href are equal (most links): pickled once.
        link_urls=[link.href if link.href == link.url else link.url for link in links],
        link_targets=[link.href or link.url for link in links],
        link_texts=[link.text for link in links],
        word_count=post.word_count or len(text.split()),
        check_urls=urls_for_post(post),
        head_only=image_urls(post),
    )


def _share_messages(findings: list[Finding]) -> None:
    """One string object per distinct message.

    Findings of a rule mostly say the same thing, but each holds its own equal copy of it, and
    pickle sends every copy: 0.7 of the 1.8 MB result of the 1 MB benchmark post were repeated
    messages. Shared, each goes once, and the window holds it once. (The text is equal: the
    frozen Finding does not change.)
    """
    canon: dict[str, str] = {}
    for f in findings:
        message = canon.setdefault(f.message, f.message)
        if message is not f.message:
            object.__setattr__(f, "message", message)


_CATEGORY_NAME = {c: c.value for c in Category}  # Enum's .value is a slow descriptor


def row_keys(findings: list[Finding], link_urls: list[str]) -> list[str]:
    """Stable identities: the same problem on the same link keeps its row across edits."""
    seen: dict[str, int] = {}
    keys = []
    for f in findings:
        target = link_urls[f.link_index] if f.link_index is not None and f.link_index < len(
            link_urls) else "post"
        base = f"{_CATEGORY_NAME[f.category]}|{f.rule}|{target}"
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


def clean_export(text: str, config: Config, options: dict[str, bool],
                 reports: dict[str, Any] | None, name: str) -> tuple[str, str, int]:
    """The export dialog's cleaned Markdown, its unified diff against the text and the number
    of changed lines. Made here, off the GUI thread: it analyses the whole post (seconds on a
    1 MB post), and the dialog asks again whenever an option is toggled."""
    import difflib

    from linkwriter.core.clean import CleanOptions, clean_text

    network = list(network_findings(parse_post(text), reports, config)) if reports else []
    cleaned = clean_text(text, config, CleanOptions(**options), network)
    diff = "".join(difflib.unified_diff(
        text.splitlines(keepends=True), cleaned.splitlines(keepends=True),
        f"{name} (now)", f"{name} (cleaned)", n=1))
    changed = sum(1 for line in diff.splitlines()
                  if line.startswith(("+", "-")) and not line.startswith(("+++", "---")))
    return cleaned, diff, changed


def html_export(text: str, title: str, sponsored: list[str], nofollow: list[str]) -> str:
    """The export dialog's HTML page (the render takes most of a second on a 1 MB post)."""
    from linkwriter.core.htmlexport import render_html

    return render_html(text, title=title, sponsored=set(sponsored), nofollow=set(nofollow))


# Bare URLs of every form linkify-it knows: it compiles its big patterns on first use
# (~100 ms), which would otherwise land on the writer's first odd edit (say, letters typed into
# a reference definition's URL).
WARM_TEXT = ("[warm](https://example.com) up: www.example.org, mail@example.com, "
             "x pnbvcyrstps://re and example.com/x\n")


def warm_up() -> bool:
    """Import the core and compile its patterns in a worker, so real analyses do not pay."""
    build_result(0, WARM_TEXT, Config())
    return True
