"""Page profiles prepared while the network check is still running.

`linkwriter check` judges relevance only once every page has arrived, and reducing a thousand
pages to stems is most of that work. The network stage spends its time waiting on sockets, so
the caller hands each page over as it arrives and the profiles land in `cached_profile`'s memo;
the judge later finds them there. Same profiles, same verdicts: only the moment changes.

With many pages, and a core to spare, the reduction runs in a helper process: in the checking
process it would hold the GIL that the network threads need, while the second core sits idle.
On a busy machine, or if no process can be started (a frozen build, a locked-down machine),
the pages are reduced in this process.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from linkwriter.core.config import Config
from linkwriter.core.post import Post
from linkwriter.core.relevance.judge import judged_links, link_language, post_language_of
from linkwriter.core.relevance.pageinfo import PageInfo, page_info_from_metadata
from linkwriter.core.relevance.scoring import (
    PROFILE_CACHE_SIZE,
    PageProfile,
    cached_profile,
    profile_page,
    remember_profile,
)
from linkwriter.core.spawn import without_main_module

HELPER_MIN_PAGES = 64  # below this, starting a process costs more than it saves
BATCH = 32  # pages per message to the helper: fewer round trips, results still come early
IN_FLIGHT = 2  # batches the helper may hold (one working, one waiting)
HELPER_PATIENCE = 30.0  # seconds without any batch coming back before the helper is dropped


def profile_batch(items: list[tuple[PageInfo, str]]) -> list[PageProfile]:
    """Run in the helper process."""
    return [profile_page(page, lang) for page, lang in items]


def _ready() -> bool:
    return True


class ProfileWarmer:
    """Knows which page keys (as the network reports are keyed: the link's URL as written) the
    judge will profile, and in which languages; `warm` reduces one arrived page (or sends it to
    the helper process), `close` collects what the helper made."""

    def __init__(
        self,
        posts: Iterable[tuple[Post, Config]],
        *,
        helper: bool = True,
        helper_min_pages: int = HELPER_MIN_PAGES,
    ) -> None:
        self.languages: dict[str, set[str]] = {}
        for post, config in posts:
            post_lang = post_language_of(post)
            for _, link in judged_links(post):
                key = (link.href or link.url).strip()
                if key:
                    self.languages.setdefault(key, set()).add(
                        link_language(link, post_lang, config)
                    )
        # The memo is a bounded LRU: warming more pages than it holds would evict the first.
        self.budget = PROFILE_CACHE_SIZE - 16
        self.warmed = 0
        self._pending: list[tuple[PageInfo, str]] = []
        self._in_flight: set[cf.Future] = set()
        self._lock = threading.Lock()
        self._executor: cf.Executor | None = None
        if helper and len(self.languages) >= helper_min_pages and _spare_core():
            self._executor = _start_helper()

    @property
    def uses_helper(self) -> bool:
        return self._executor is not None

    def warm(self, key: str, meta: Mapping[str, Any] | Any) -> None:
        """Profile the page behind `key` (its network metadata) for the judge, if it will need
        it; anything unexpected is left for the judge to meet in its own time."""
        langs = self.languages.get(key)
        if not langs or meta is None or self.warmed >= self.budget:
            return
        page = page_info_from_metadata(meta, url=key)
        if page.status is not None and page.status >= 400:
            return
        if not page.is_html or not page.has_content:
            return
        for lang in sorted(langs):
            self.warmed += 1
            if self._executor is None:
                cached_profile(page, lang)
            else:
                self._pending.append((page, lang))
        self.pump()

    def pump(self, batch: int = BATCH) -> None:
        """Hand the helper the next batch when it has room."""
        if self._executor is None:
            return
        while self._pending:
            with self._lock:
                if len(self._in_flight) >= IN_FLIGHT:
                    return
            items, self._pending = self._pending[:batch], self._pending[batch:]
            try:
                future = self._executor.submit(profile_batch, items)
            except (RuntimeError, cf.BrokenExecutor):
                self._give_up()
                return
            with self._lock:
                self._in_flight.add(future)
            future.add_done_callback(lambda f, items=items: self._done(f, items))

    def _done(self, future: cf.Future, batch: list[tuple[PageInfo, str]]) -> None:
        with self._lock:
            self._in_flight.discard(future)
        if future.cancelled() or future.exception() is not None:
            return  # the judge reduces those pages itself
        for (page, lang), profile in zip(batch, future.result(), strict=True):
            remember_profile(page, lang, profile)

    def close(self) -> None:
        """Finish: the pages not yet sent are shared out between this process and the helper
        (both cores at work), then the helper is stopped."""
        if self._executor is None:
            return
        while self._pending and self._executor is not None:
            with self._lock:
                room = len(self._in_flight) < IN_FLIGHT
            if room:
                self.pump(batch=8)  # small batches now: the end of the run is near
            else:
                page, lang = self._pending.pop()  # from the other end than the helper's
                cached_profile(page, lang)
        if self._executor is None:
            return
        while self._in_flight:
            with self._lock:
                waiting = list(self._in_flight)
            if not waiting:
                break
            done, _ = cf.wait(waiting, timeout=HELPER_PATIENCE, return_when=cf.FIRST_COMPLETED)
            if not done:
                self._give_up(kill=True)  # a stuck helper: the judge does the rest
                return
            if any(f.exception() is not None for f in done if not f.cancelled()):
                break  # a broken helper: likewise
        self._give_up()

    def _give_up(self, kill: bool = False) -> None:
        executor, self._executor = self._executor, None
        self._pending.clear()
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=not kill, cancel_futures=True)
        if kill:
            for proc in processes:
                with contextlib.suppress(Exception):
                    proc.terminate()

    def __enter__(self) -> ProfileWarmer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _spare_core() -> bool:
    """Is a second core idle? Only then does a helper process pay for its start-up and the
    pages' trips between processes; on a busy machine it would just be one more mouth."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Windows: assume the usual idle desktop
        return True
    return load <= cores - 1


def _start_helper() -> cf.Executor | None:
    if getattr(sys, "frozen", False):
        # A frozen build re-runs its own executable to spawn; without freeze_support() in its
        # entry script that would start the whole program again.
        return None
    try:
        ctx = multiprocessing.get_context("spawn")  # never fork a process running threads
        executor = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        with without_main_module():
            executor.submit(_ready)  # starts the process now, while pages are on their way
    except (OSError, ValueError, RuntimeError):
        return None
    return executor
