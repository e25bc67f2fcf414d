"""NetworkChecker: checks each URL once per run, politely, within hard bounds, and explains
its verdict with evidence (statuses, redirect chain, timings, error text, page metadata).

Thread model: worker threads started as jobs arrive (jobs may arrive while the post is still
being parsed: prefetch), each with its own requests Session over connection pools shared by the
run, so kept-alive connections to a host serve whichever worker asks next. A scheduler hands
out URLs round-robin over hosts that still have a free slot, so a slow host never parks the
whole pool. progress() is called from worker threads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import socket
import ssl
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
import urllib3.exceptions

from linkwriter import __version__
from linkwriter.core.config import Config
from linkwriter.core.net import report as R
from linkwriter.core.net.cache import Cache
from linkwriter.core.net.fragments import fragment_checkable, fragment_found
from linkwriter.core.net.limiter import Cancelled, DeadlinePassed, HostLimiter, parse_retry_after
from linkwriter.core.net.pagemeta import decode_html, is_html, parse_html
from linkwriter.core.net.policy import (
    BLOCKED_STATUSES,
    PERMANENT_STATUSES,
    REDIRECT_STATUSES,
    RETRY_STATUSES,
    UrlPolicy,
    registrable_domain,
    title_says_not_found,
)
from linkwriter.core.net.report import Hop, PageMeta, Snapshot, UrlReport
from linkwriter.core.net.snapshots import (
    SIMHASH_CHANGED,
    changed,
    distance,
    same_page,
    simhash,
    take_snapshot,
)
from linkwriter.core.net.transport import (
    PrivateAddressError,
    discard_body,
    is_private_address,
    make_adapter,
    make_session,
    read_body,
    request_context,
)

Progress = Callable[[int, int, str, UrlReport], None]

BROWSER_HEADERS = {
    # Used once, only to tell "blocks bots" from "broken" (issue 4); never the default.
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.5",
}


def default_user_agent() -> str:
    return f"LinkWriter/{__version__} (+link checker)"


@dataclass(slots=True)
class _Response:
    status: int
    headers: Mapping[str, str]  # case-insensitive (requests' CaseInsensitiveDict)
    content_type: str
    body: bytes | None = None
    truncated: bool = False
    method: str = "GET"


@dataclass
class _Once:
    """A per-origin fact learned by the first thread that needs it; the others wait."""

    event: threading.Event = field(default_factory=threading.Event)
    value: object = None


class NetworkChecker:
    backoff_cap = 8.0  # longest wait between retries without a Retry-After, in seconds
    def __init__(
        self,
        config: Config,
        cache: Cache | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        on_result: Callable[[str, UrlReport], None] | None = None,
    ) -> None:
        self.config = config
        # Told about every fetch URL's report as soon as it is known (from worker threads, in
        # completion order, prefetched ones included), so a caller can start on the page.
        self.on_result = on_result
        self.net = config.network
        self.cache = cache
        self.progress = progress
        self.cancel = cancel or threading.Event()
        self.policy = UrlPolicy(self.net)
        self.limiter = HostLimiter(
            self.net.host_concurrency,
            self.net.host_interval,
            self.net.hosts,
            self.cancel,
            global_limit=self.net.max_concurrency,
        )
        self.notes: list[str] = []  # one-line remarks for the summary (e.g. Safe Browsing down)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._adapter: requests.adapters.HTTPAdapter | None = None  # pools shared by workers
        self._lock = threading.Lock()
        self._dns: dict[str, tuple[str, str] | None] = {}
        self._probes: dict[str, _Once] = {}
        self._https: dict[str, _Once] = {}
        self._snapshots: dict[str, Snapshot] = {}  # taken by the workers as pages arrive
        self.stats: Counter[str] = Counter()
        self._live: _LiveRun | None = None

    # -- public ----------------------------------------------------------------------------------
    def check(
        self, urls: Iterable[str], *, head_only: Collection[str] = ()
    ) -> dict[str, UrlReport]:
        """One report per distinct URL. head_only: URLs whose body is never needed (images)."""
        asked = list(dict.fromkeys(u for u in urls if u))
        out: dict[str, UrlReport] = {}
        groups: dict[str, list[str]] = {}
        for url in asked:
            verdict = self._skip_verdict(url)
            if verdict:
                out[url] = UrlReport(url=url, verdict=verdict, fetch_url=urldefrag(url)[0])
                continue
            groups.setdefault(self.policy.fetch_url(url), []).append(url)

        fetched: dict[str, UrlReport] = {}
        jobs: list[tuple[str, bool]] = []
        for fetch_url, members in groups.items():
            cached = self.cache.get(fetch_url) if self.cache is not None else None
            if cached is not None:
                fetched[fetch_url] = cached
                continue
            need_body = self.net.fetch_body or any(urldefrag(m)[1] for m in members)
            need_body = need_body and not all(m in head_only for m in members)
            jobs.append((fetch_url, need_body))

        total = len(groups)
        done = [len(fetched)]
        for fetch_url, rep in list(fetched.items()):
            self._progress(done[0], total, fetch_url, rep)
            self._result(fetch_url, rep)
        fresh = self._run(jobs, total, done)
        fetched.update(fresh)
        self.stats = Counter(r.verdict for r in fresh.values())  # verdicts fetched this run

        originals = {f: members[0] for f, members in groups.items()}
        self._add_archives(fresh.values(), originals)
        self._add_snapshots(fetched)
        if self.cache is not None:
            self.cache.put_many([r for r in fresh.values() if r.verdict not in R.NOT_CHECKED])

        for fetch_url, members in groups.items():
            base = fetched[fetch_url]
            for url in members:
                out[url] = self._for_url(base, url)
        self._add_threats(out)
        return {u: out[u] for u in asked}

    def close(self) -> None:
        run, self._live = self._live, None
        if run is not None:  # prefetched but never collected: let its workers go
            run.abandon()
        with self._lock:
            self._sessions.clear()
            if self._adapter is not None:
                self._adapter.close()
                self._adapter = None

    def __enter__(self) -> NetworkChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scheduling ------------------------------------------------------------------------------
    def _skip_verdict(self, url: str) -> str:
        if not self.policy.checkable(url):
            return R.UNSUPPORTED
        if self.net.offline:
            return R.OFFLINE
        if self.policy.excluded(url):
            return R.EXCLUDED
        return ""

    def prefetch(self, url: str) -> None:
        """Start fetching a page link's URL before the whole list is known, so requests begin
        while the parser is still working (the CLI streams links out of it). Only links whose
        page is fetched with a body anyway are started early (images are not), so the fetch
        is exactly the one check() would make; check() then collects it."""
        if not url or not self.net.fetch_body or self._skip_verdict(url):
            return
        fetch_url = self.policy.fetch_url(url)
        run = self._live_run()
        if fetch_url in run.known:
            return
        if self.cache is not None and self.cache.get(fetch_url) is not None:
            return  # check() takes it from the cache
        run.add(fetch_url, True)

    def _live_run(self) -> _LiveRun:
        with self._lock:
            if self._live is None:
                self._live = _LiveRun(self)
            return self._live

    def _run(
        self, jobs: list[tuple[str, bool]], total: int, done: list[int]
    ) -> dict[str, UrlReport]:
        run = self._live
        if run is None and not jobs:
            return {}
        run = self._live_run()
        for job in jobs:
            if job[0] not in run.known:
                run.add(*job)
        results = run.finish(total, done)
        self._live = None
        out: dict[str, UrlReport] = {}
        for url, _ in jobs:  # a prefetched URL the final list lacks is dropped
            out[url] = results.get(url) or UrlReport(url=url, fetch_url=url, verdict=R.CANCELLED)
        return out

    def _progress(self, done: int, total: int, url: str, rep: UrlReport) -> None:
        if self.progress is not None:
            # A broken progress display must not break the check.
            with contextlib.suppress(Exception):
                self.progress(done, total, url, rep)

    def _result(self, url: str, rep: UrlReport) -> None:
        if self.on_result is not None:
            with contextlib.suppress(Exception):  # a listener's bug must not break the check
                self.on_result(url, rep)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            headers = {
                "User-Agent": self.net.user_agent or default_user_agent(),
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            }
            headers.update(self.net.headers)
            with self._lock:
                if self._adapter is None:
                    self._adapter = make_adapter(self._pool_size())
                adapter = self._adapter
            session = make_session(headers, self.net.ca_bundle or True, adapter=adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _pool_size(self) -> int:
        """Idle connections kept per host: as many as may be in flight to it at once (a host's
        share never exceeds its concurrency, so the pool never has to discard a connection)."""
        sizes = [self.net.host_concurrency, 4]  # 4: the Wayback / Safe Browsing helpers
        for over in self.net.hosts.values():
            with contextlib.suppress(TypeError, ValueError):
                sizes.append(int(over.get("concurrency", 0)))
        return max(sizes)

    def _close_thread_session(self) -> None:
        """Forget this thread's session; its connections stay in the shared pools."""
        session = getattr(self._local, "session", None)
        if session is not None:
            self._local.session = None
            with self._lock:
                if session in self._sessions:
                    self._sessions.remove(session)

    # -- one URL ---------------------------------------------------------------------------------
    def _check_fetch(self, url: str, need_body: bool) -> UrlReport:
        rep = UrlReport(url=url, fetch_url=url, checked_at=time.time())
        start = time.monotonic()
        deadline = start + self.net.deadline
        try:
            res = self._follow(url, need_body, deadline, rep)
            if res is not None:
                self._judge(url, res, need_body, deadline, rep)
        except Cancelled:
            rep.verdict = R.CANCELLED
        except DeadlinePassed:
            rep.verdict, rep.error = (
                R.TIMEOUT,
                f"no verdict within the {self.net.deadline:g} s deadline",
            )
        except Exception as exc:  # a bug must not take the whole run down: report "not checked"
            rep.verdict, rep.error = R.CANCELLED, f"internal error: {type(exc).__name__}: {exc}"
        rep.elapsed = round(time.monotonic() - start, 4)
        return rep

    def _judge(
        self, url: str, res: _Response, need_body: bool, deadline: float, rep: UrlReport
    ) -> None:
        netloc = urlsplit(rep.final_url).netloc
        status = res.status
        if status in BLOCKED_STATUSES and not self.policy.accepted(status, netloc):
            # Does a plain browser-like request get through? Only then is it more than bot-blocking.
            second = UrlReport(url=url)
            res2 = self._follow(url, need_body, deadline, second, browser=True)
            if res2 is not None and self.policy.accepted(
                res2.status, urlsplit(second.final_url).netloc
            ):
                rep.statuses += second.statuses
                rep.redirects, rep.final_url, rep.status = (
                    second.redirects,
                    second.final_url,
                    second.status,
                )
                rep.error = "answered only a browser-like request"
                res = res2
                status = res2.status
            elif res2 is not None and res2.status in (404, 410):
                rep.statuses += second.statuses
                rep.verdict, rep.status = R.BROKEN, res2.status
                rep.error = f"HTTP {res2.status} (also for a browser-like request)"
                return
            else:
                rep.verdict, rep.error = (
                    R.BLOCKED,
                    f"HTTP {status}: the site refuses automated clients",
                )
                return
        if not self.policy.accepted(status, urlsplit(rep.final_url).netloc):
            if status == 429:
                rep.verdict, rep.error = R.BLOCKED, "HTTP 429: rate limited, even after waiting"
            elif status == 408:
                rep.verdict, rep.error = R.TIMEOUT, "HTTP 408: the server timed out the request"
            else:
                rep.verdict, rep.error = R.BROKEN, f"HTTP {status}"
            return
        rep.verdict = R.OK
        rep.method = res.method
        self._redirect_facts(url, rep)
        if res.body is None:
            return
        page = parse_html(decode_html(res.body, res.content_type))
        rep.anchors = page.anchors
        rep.meta = PageMeta(
            final_url=rep.final_url,
            status=status,
            content_type=res.content_type.split(";")[0].strip(),
            language=page.language or res.headers.get("Content-Language", ""),
            title=page.title,
            description=page.description,
            og=page.og,
            headings=page.headings,
            text=page.text,
            truncated=res.truncated,
        )
        self._soft_404(url, rep, deadline)
        if rep.verdict == R.OK and self.net.https_upgrade:
            self._https_upgrade(url, rep, deadline)

    def _redirect_facts(self, url: str, rep: UrlReport) -> None:
        if not rep.redirects:
            return
        rep.permanent_redirect = all(h.status in PERMANENT_STATUSES for h in rep.redirects)
        first = urlsplit(url).hostname or ""
        last = urlsplit(rep.final_url).hostname or ""
        rep.cross_domain = registrable_domain(first) != registrable_domain(last)

    # -- redirects and retries -------------------------------------------------------------------
    def _follow(
        self,
        url: str,
        need_body: bool,
        deadline: float,
        rep: UrlReport,
        *,
        browser: bool = False,
        retries: int | None = None,
    ) -> _Response | None:
        method = "GET" if need_body or browser else "HEAD"
        current = url
        seen = {current}
        for _ in range(self.net.max_redirects + 1):
            res = self._attempts(current, method, need_body, deadline, rep, browser, retries)
            if res is None:
                return None
            location = res.headers.get("Location")
            if res.status in REDIRECT_STATUSES and location:
                rep.redirects.append(Hop(current, res.status))
                target = urldefrag(urljoin(current, location.strip()))[0]
                if target in seen:
                    rep.verdict = R.REDIRECT_LOOP
                    rep.final_url = target
                    rep.error = f"redirects back to {target} after {len(rep.redirects)} hops"
                    return None
                seen.add(target)
                if not self.policy.checkable(target):
                    rep.final_url, rep.status = target, res.status
                    return _Response(
                        200, {}, "", method=method
                    )  # e.g. to mailto: - not ours to judge
                current = target
                continue
            rep.final_url, rep.status, rep.method = current, res.status, res.method
            return res
        rep.verdict = R.REDIRECT_LOOP
        rep.final_url = current
        rep.error = f"more than {self.net.max_redirects} redirects"
        return None

    def _attempts(
        self,
        url: str,
        method: str,
        need_body: bool,
        deadline: float,
        rep: UrlReport,
        browser: bool,
        retries: int | None = None,
    ) -> _Response | None:
        max_retries = self.net.max_retries if retries is None else retries
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        blocked = self._preflight(
            parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        )
        if blocked is not None:
            rep.verdict, rep.error = blocked
            return None
        attempt = 0
        while True:
            rep.attempts += 1
            urgent = rep.attempts > 1  # a retry or a redirect hop of a URL already under way
            res, kind, text = self._one(url, method, need_body, deadline, netloc, browser, urgent)
            if res is not None and method == "HEAD" and res.status >= 400:
                method = "GET"  # servers that mishandle HEAD: ask again the normal way
                res, kind, text = self._one(url, method, need_body, deadline, netloc, browser, True)
            if res is not None:
                rep.statuses.append(res.status)
                retry = res.status in RETRY_STATUSES and not self.policy.accepted(
                    res.status, netloc
                )
                if not retry or attempt >= max_retries:
                    return res
                wait = parse_retry_after(res.headers.get("Retry-After"), self.net.retry_after_cap)
                if wait is not None:
                    if time.monotonic() + wait > deadline:
                        return res  # the site asks for longer than we may wait
                    self.limiter.retry_after(netloc, wait)
                else:
                    wait = self._backoff(attempt)
                try:
                    self._backoff_sleep(wait, deadline)
                except DeadlinePassed:
                    return res
                attempt += 1
                continue
            if kind in ("timeout", "reset") and attempt < max_retries:
                try:
                    self._backoff_sleep(self._backoff(attempt), deadline)
                except DeadlinePassed:
                    pass
                else:
                    attempt += 1
                    continue
            rep.verdict = {
                "timeout": R.TIMEOUT,
                "tls": R.TLS_ERROR,
                "private": R.PRIVATE,
            }.get(kind, R.BROKEN)
            rep.error = text
            rep.final_url = url
            return None

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff from retry_wait, capped: with many retries configured, doubling
        would soon wait longer than any site needs (Retry-After, when sent, decides instead)."""
        return min(self.net.retry_wait * 2**attempt, max(self.net.retry_wait, self.backoff_cap))

    def _backoff_sleep(self, seconds: float, deadline: float) -> None:
        """Wait before a retry without counting against the host's share of the pool, so one
        failing URL does not slow down the host's healthy ones."""
        host = getattr(self._local, "job_host", None)
        run = self._live
        if host is None or run is None:
            self.limiter.sleep(seconds, deadline)
            return
        run.sleeping(host, 1)
        try:
            self.limiter.sleep(seconds, deadline)
        finally:
            run.sleeping(host, -1)

    def _preflight(self, host: str, port: int) -> tuple[str, str] | None:
        """Refuse hosts that resolve to private addresses before any packet goes their way."""
        if self.net.allow_private:
            return None
        with self._lock:
            if host in self._dns:
                return self._dns[host]
        result: tuple[str, str] | None = None
        bare = host.strip("[]")
        try:
            addresses = (
                [bare]
                if _is_ip(bare)
                else [
                    info[4][0]
                    for info in socket.getaddrinfo(_ascii_host(bare), port, type=socket.SOCK_STREAM)
                ]
            )
            private = [a for a in addresses if is_private_address(a)]
            if private:
                result = (
                    R.PRIVATE,
                    f"{host} resolves to a private or local address ({private[0]})",
                )
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
                result = (R.BROKEN, f"DNS name not found: {host}")
            else:
                result = (R.TIMEOUT, f"DNS lookup failed for {host}: {exc.strerror}")
        except (UnicodeError, ValueError):
            result = (R.BROKEN, f"invalid host name: {host}")
        with self._lock:
            self._dns[host] = result
        return result

    @contextlib.contextmanager
    def _away_from_job_host(self, netloc: str) -> Iterator[None]:
        """A redirect to another host: while the job waits for and talks to that host, it does
        not use its own host's share, so another of that host's links may go meanwhile."""
        job_host = getattr(self._local, "job_host", None)
        run = self._live
        if run is None or job_host is None or job_host == netloc:
            yield
            return
        run.sleeping(job_host, 1)
        try:
            yield
        finally:
            run.sleeping(job_host, -1)

    def _one(
        self,
        url: str,
        method: str,
        need_body: bool,
        deadline: float,
        netloc: str,
        browser: bool,
        urgent: bool = False,
    ) -> tuple[_Response | None, str, str]:
        session = self._session()
        headers = dict(session.headers)
        headers.update(self.policy.host_settings(netloc).get("headers", {}) or {})
        if browser:
            headers.update(BROWSER_HEADERS)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, "timeout", f"no answer within the {self.net.deadline:g} s deadline"
        try:
            with (
                self._away_from_job_host(netloc),
                self.limiter.slot(netloc, deadline, urgent=urgent),
                request_context(deadline=deadline, allow_private=self.net.allow_private) as watch,
            ):
                remaining = max(0.01, deadline - time.monotonic())
                timeout = (
                    min(self.net.connect_timeout, remaining),
                    min(self.net.timeout, remaining),
                )
                try:
                    # Prepared by hand: Session.request re-merges every session setting per call,
                    # a measurable share of the CPU a thousand-link run spends.
                    prepared = requests.PreparedRequest()
                    prepared.prepare(
                        method=method, url=url, headers=headers, cookies=session.cookies
                    )
                    resp = session.send(
                        prepared,
                        allow_redirects=False,
                        stream=True,
                        timeout=timeout,
                        verify=session.verify,
                        proxies={},
                        cert=None,
                    )
                    ctype = resp.headers.get("Content-Type", "")
                    res = _Response(resp.status_code, resp.headers, ctype, method=method)
                    if method == "GET" and need_body and 200 <= res.status < 300 and is_html(ctype):
                        body = read_body(resp, self.net.max_body_bytes, self.net.max_decoded_bytes)
                        res.body, res.truncated = body.data, body.truncated
                    else:
                        discard_body(resp)
                except PrivateAddressError as exc:
                    return None, "private", f"refused to connect: {exc}"
                except requests.exceptions.SSLError as exc:
                    return None, "tls", _tls_text(exc)
                except (requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout):
                    if watch.expired:
                        return (
                            None,
                            "timeout",
                            f"no answer within the {self.net.deadline:g} s deadline",
                        )
                    return None, "timeout", f"no answer within {self.net.timeout:g} s"
                except requests.exceptions.RequestException as exc:
                    if watch.expired:
                        return (
                            None,
                            "timeout",
                            self._late(),
                        )
                    return None, *_connection_kind(exc, url)
                except (OSError, urllib3.exceptions.HTTPError) as exc:
                    if watch.expired:
                        return (
                            None,
                            "timeout",
                            self._late(),
                        )
                    return None, "reset", f"connection failed: {type(exc).__name__}"
                if watch.expired:
                    return (
                        None,
                        "timeout",
                        self._late(),
                    )
                return res, "", ""
        except DeadlinePassed:
            return None, "timeout", f"no verdict within the {self.net.deadline:g} s deadline"

    def _late(self) -> str:
        return f"the response did not finish within the {self.net.deadline:g} s deadline"

    # -- soft 404 --------------------------------------------------------------------------------
    def _soft_404(self, url: str, rep: UrlReport, deadline: float) -> None:
        meta = rep.meta
        assert meta is not None
        path = urlsplit(url).path
        final = urlsplit(rep.final_url)
        deep = path not in ("", "/")
        reason = ""
        if deep and rep.redirects and final.path in ("", "/") and not final.query:
            reason = "the deep link now redirects to the site's home page"
        elif title_says_not_found(meta.title) or (
            meta.headings and title_says_not_found(meta.headings[0])
        ):
            reason = f"the page says it was not found ({(meta.title or meta.headings[0])[:80]!r})"
        elif deep and self.net.soft_404:
            probe = self._probe(url, deadline)
            if probe is not None and _looks_like(meta, rep.final_url, rep.redirects, probe):
                reason = "the page is the same as the site's answer for a page that does not exist"
        if reason:
            rep.verdict = R.SOFT_404
            rep.soft_404_reason = reason
            rep.error = f"HTTP {rep.status}, but {reason}"

    def _probe(self, url: str, deadline: float) -> _Probe | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        once, first = self._once(self._probes, origin)
        if not first:
            once.event.wait(max(0.0, deadline - time.monotonic()))
            return once.value  # type: ignore[return-value]
        try:
            probe_url = f"{origin}/linkwriter-probe-{secrets.token_hex(8)}"
            scratch = UrlReport(url=probe_url)
            res = self._follow(
                probe_url, True, min(deadline, time.monotonic() + self.net.timeout * 2), scratch
            )
            if (
                res is not None
                and self.policy.accepted(res.status, parts.netloc)
                and res.body is not None
            ):
                page = parse_html(decode_html(res.body, res.content_type))
                meta = PageMeta(final_url=scratch.final_url, title=page.title, text=page.text)
                once.value = _Probe(meta, scratch.final_url, bool(scratch.redirects))
        except (Cancelled, DeadlinePassed):
            once.value = None
        finally:
            once.event.set()
        return once.value  # type: ignore[return-value]

    def _once(self, table: dict[str, _Once], key: str) -> tuple[_Once, bool]:
        with self._lock:
            once = table.get(key)
            if once is not None:
                return once, False
            once = table[key] = _Once()
            return once, True

    # -- https upgrade ---------------------------------------------------------------------------
    def _https_upgrade(self, url: str, rep: UrlReport, deadline: float) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or urlsplit(rep.final_url).scheme != "http" or rep.meta is None:
            return
        written = "https://" + url[len("http://") :]
        candidate = self.policy.fetch_url(written)
        if parts.port is not None and candidate == urldefrag(written)[0]:
            return  # https on the same explicit port is almost never the same service
        origin = urlsplit(candidate).netloc.lower()
        once, first = self._once(self._https, origin)
        if not first:
            once.event.wait(max(0.0, deadline - time.monotonic()))
            if once.value is False:
                return  # the host has no working https
        scratch = UrlReport(url=candidate)
        quick = min(deadline, time.monotonic() + min(self.net.timeout, 5.0))
        try:
            res = self._follow(candidate, True, quick, scratch, retries=0)
        except DeadlinePassed:
            res = None
        if first:
            once.value = res is not None or scratch.verdict not in (
                R.TLS_ERROR,
                R.BROKEN,
                R.TIMEOUT,
                R.PRIVATE,
            )
            once.event.set()
        if res is None or res.body is None:
            return
        if not self.policy.accepted(res.status, urlsplit(scratch.final_url).netloc):
            return
        page = parse_html(decode_html(res.body, res.content_type))
        if same_page(rep.meta, PageMeta(title=page.title, text=page.text)):
            rep.https_url = written

    # -- after the fetches -----------------------------------------------------------------------
    def _for_url(self, base: UrlReport, url: str) -> UrlReport:
        fragment = urldefrag(url)[1]
        rep = dataclasses.replace(base, url=url, fragment=fragment, fragment_found=None)
        host = urlsplit(base.final_url or base.fetch_url).hostname or ""
        if (
            fragment
            and base.verdict == R.OK
            and base.meta is not None
            and fragment_checkable(fragment, host)
        ):
            rep.fragment_found = fragment_found(fragment, set(base.anchors))
        return rep

    def _take_snapshot(self, url: str, rep: UrlReport) -> None:
        """In a worker, right after the fetch: hashing a page's text takes a millisecond or two,
        better spent while other requests are in flight than all at the end of the run."""
        if self.cache is None or not self.net.snapshots:
            return
        if rep.verdict != R.OK or rep.meta is None:
            return
        snap = take_snapshot(rep.meta, rep.final_url, self.cache.get_snapshot(url))
        with self._lock:
            self._snapshots[url] = snap

    def _add_snapshots(self, fetched: dict[str, UrlReport]) -> None:
        if self.cache is None or not self.net.snapshots:
            return
        todo = {k: r for k, r in fetched.items() if r.verdict == R.OK and r.meta is not None}
        known = self.cache.get_snapshots(list(todo))
        first: list[tuple[str, Snapshot]] = []
        with self._lock:
            taken, self._snapshots = self._snapshots, {}
        for key, rep in todo.items():
            previous = known.get(key)
            snap = None if rep.from_cache else taken.get(key)
            if snap is None:
                snap = take_snapshot(rep.meta, rep.final_url, previous)
            rep.snapshot = snap
            if previous is None:
                first.append((key, snap))
                rep.previous_snapshot, rep.content_changed = None, False
            else:
                rep.previous_snapshot = previous
                rep.content_changed = changed(previous, snap)
        self.cache.put_snapshots(first)

    def _add_archives(self, reports: Iterable[UrlReport], originals: dict[str, str]) -> None:
        if self.net.offline or not self.net.wayback or not self.net.wayback_endpoint:
            return
        todo = [r for r in reports if r.verdict in (R.BROKEN, R.SOFT_404) and not r.archived_url]
        if not _is_local_host(urlsplit(self.net.wayback_endpoint).hostname):
            # Never tell a third-party archive about the writer's own private addresses.
            todo = [r for r in todo if not _is_local_host(urlsplit(r.url).hostname)]
        if not todo:
            return
        from linkwriter.core.net.wayback import closest_snapshot

        def one(rep: UrlReport) -> None:
            if self.cancel.is_set():
                return
            session = self._session()
            try:
                rep.archived_url = closest_snapshot(
                    session,
                    self.net.wayback_endpoint,
                    urldefrag(originals.get(rep.fetch_url, rep.url))[0],
                    timeout=self.net.timeout,
                )
            finally:
                self._close_thread_session()

        with ThreadPoolExecutor(
            max_workers=min(4, len(todo)), thread_name_prefix="linkwriter-wayback"
        ) as pool:
            list(pool.map(one, todo))

    def _add_threats(self, reports: dict[str, UrlReport]) -> None:
        if self.net.offline or not self.net.safe_browsing or not self.net.safe_browsing_endpoint:
            return
        if self.cancel.is_set():
            return
        candidates = [r for r in reports.values() if r.verdict not in R.NOT_CHECKED]
        if not candidates:
            return
        from linkwriter.core.net.safebrowsing import SafeBrowsingError, lookup, stored_api_key

        key = stored_api_key()
        if not key:
            return
        pending: list[str] = []
        for rep in candidates:
            page = urldefrag(rep.url)[0]
            cached = self.cache.get_threats(page) if self.cache is not None else None
            if cached is not None:
                rep.threats = cached
            else:
                pending.append(page)
        pending = list(dict.fromkeys(pending))
        if not pending:
            return
        session = self._session()
        try:
            found = lookup(
                session, self.net.safe_browsing_endpoint, key, pending, timeout=self.net.timeout
            )
        except SafeBrowsingError as exc:
            self.notes.append(str(exc))
            return
        finally:
            self._close_thread_session()
        for page, (types, seconds) in found.items():
            if self.cache is not None:
                self.cache.put_threats(page, types, seconds)
        for rep in candidates:
            hit = found.get(urldefrag(rep.url)[0])
            if hit:
                rep.threats = hit[0]


class _LiveRun:
    """The worker threads of one run and the per-host queues they take jobs from. Jobs can be
    added while it runs (prefetch); the workers leave once it is finished and nothing is left.
    Jobs are handed out round-robin over hosts that still have a free slot, so a slow host
    never parks the whole pool."""

    def __init__(self, checker: NetworkChecker) -> None:
        self.checker = checker
        self.queues: dict[str, deque[tuple[str, bool]]] = {}
        self.order: deque[str] = deque()
        self.known: dict[str, bool] = {}  # fetch URL -> need_body, every job ever added
        self.active: Counter[str] = Counter()
        self.asleep: Counter[str] = Counter()
        self.cond = threading.Condition()
        self.results: dict[str, UrlReport] = {}
        self.threads: list[threading.Thread] = []
        self.idle = 0  # threads waiting for a job
        self.pending = 0  # jobs queued, not yet handed out
        self.closed = False
        self.total = 0  # known once check() finishes the list; progress waits for it
        self.done = [0]
        net = checker.net
        # More threads than the global limit: a thread waiting for a host's interval or for a
        # retry holds no request slot (the limiter's global semaphore bounds what is in flight).
        self.max_threads = 4 * max(1, net.max_concurrency)

    def add(self, url: str, need_body: bool) -> None:
        host = urlsplit(url).netloc.lower()
        with self.cond:
            self.known[url] = need_body
            queue = self.queues.get(host)
            if queue is None:
                queue = self.queues[host] = deque()
                self.order.append(host)
            queue.append((url, need_body))
            self.pending += 1
            self._spawn()
            self.cond.notify()

    def _spawn(self, force: bool = False) -> bool:
        """Start another worker when queued jobs find every thread busy, or (force) while
        there are fewer than the jobs can use. Called under cond; the new thread waits for the
        lock like any other."""
        if self.pending and (force or self.idle == 0) and len(self.threads) < self._useful():
            thread = threading.Thread(
                target=self._worker, name=f"linkwriter-net-{len(self.threads)}", daemon=True
            )
            self.threads.append(thread)
            thread.start()
            return True
        return False

    def _useful(self) -> int:
        limiter = self.checker.limiter
        useful = sum(
            min(len(q) + self.active[h], limiter.concurrency(h)) for h, q in self.queues.items()
        )
        return min(useful + 16, self.max_threads)

    def sleeping(self, host: str, delta: int) -> None:
        with self.cond:
            self.asleep[host] += delta
            if delta > 0:
                self._spawn()
            self.cond.notify()

    def abandon(self) -> None:
        """Drop the jobs not yet handed out; workers leave after their current one."""
        with self.cond:
            self.closed = True
            for queue in self.queues.values():
                queue.clear()
            self.pending = 0
            self.cond.notify_all()

    def finish(self, total: int, done: list[int]) -> dict[str, UrlReport]:
        with self.cond:
            self.closed = True
            self.total = total
            done[0] += len(self.results)
            self.done = done
            while self._spawn(force=True):
                pass
            self.cond.notify_all()
        while True:  # workers may be started until the last job is handed out
            with self.cond:
                threads = [t for t in self.threads if t.is_alive()]
            if not threads:
                break
            for thread in threads:
                thread.join()
        return self.results

    def _next_job(self) -> tuple[str, tuple[str, bool]] | None:
        checker = self.checker
        with self.cond:
            while True:
                if checker.cancel.is_set():
                    return None
                for _ in range(len(self.order)):
                    host = self.order[0]
                    self.order.rotate(-1)
                    queue = self.queues[host]
                    if not queue:
                        continue
                    if self.active[host] - self.asleep[host] < checker.limiter.concurrency(host):
                        self.active[host] += 1
                        self.pending -= 1
                        return host, queue.popleft()
                if self.closed and not self.pending:
                    return None
                self.idle += 1
                try:
                    self.cond.wait(0.25)  # woken when a slot frees; the timeout notices cancel
                finally:
                    self.idle -= 1

    def _worker(self) -> None:
        checker = self.checker
        try:
            while (item := self._next_job()) is not None:
                host, (url, need_body) = item
                checker._local.job_host = host
                try:
                    rep = checker._check_fetch(url, need_body)
                finally:
                    with self.cond:
                        self.active[host] -= 1
                        self.cond.notify()
                with contextlib.suppress(Exception):  # _add_snapshots makes it otherwise
                    checker._take_snapshot(url, rep)
                with self.cond:
                    self.results[url] = rep
                    total = self.total
                    if total:
                        self.done[0] += 1
                        count = self.done[0]
                checker._result(url, rep)
                if total:
                    checker._progress(count, total, url, rep)
        finally:
            checker._close_thread_session()


@dataclass
class _Probe:
    """A host's answer for a page that cannot exist, learned once per run and compared with
    every page of the host; its fingerprint is computed once, not once per page."""

    meta: PageMeta
    final_url: str
    redirected: bool
    words: int = 0
    _simhash: int | None = None

    def __post_init__(self) -> None:
        self.words = len(self.meta.text.split())

    @property
    def simhash(self) -> int:
        if self._simhash is None:
            self._simhash = simhash(self.meta.text)  # a race computes the same value twice
        return self._simhash


def _looks_like(meta: PageMeta, final_url: str, redirects: list[Hop], probe: _Probe) -> bool:
    if redirects and probe.redirected and final_url == probe.final_url:
        return True  # both land on the same catch-all page
    if probe.words < 20 and len(meta.text.split()) < 20:
        return False  # script-rendered shells all look alike; no evidence either way
    if meta.title.strip().lower() != probe.meta.title.strip().lower():
        return False
    return distance(simhash(meta.text), probe.simhash) <= SIMHASH_CHANGED


def _ascii_host(host: str) -> str:
    """The name as DNS sees it, encoded the way requests encodes it (IDNA 2008 / UTS 46)."""
    if host.isascii():
        return host
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.encode("idna").decode("ascii")


def _is_ip(host: str) -> bool:
    try:
        import ipaddress

        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(out) < 20:
        e = todo.pop()
        out.append(e)
        for nxt in (
            getattr(e, "reason", None),
            e.__cause__,
            e.__context__,
            *getattr(e, "args", ()),
        ):
            if isinstance(nxt, BaseException) and nxt not in out:
                todo.append(nxt)
    return out


def _connection_kind(exc: BaseException, url: str) -> tuple[str, str]:
    chain = _chain(exc)
    host = urlsplit(url).hostname or url
    for kinds, result in (
        ((PrivateAddressError,), "private"),
        ((urllib3.exceptions.NameResolutionError, socket.gaierror), "dns"),
        ((ConnectionRefusedError,), "refused"),
        ((ssl.SSLError,), "tls"),
        ((TimeoutError,), "timeout"),
    ):
        hit = next((e for e in chain if isinstance(e, kinds)), None)
        if hit is None:
            continue
        if result == "private":
            return "private", f"refused to connect: {hit}"
        if result == "dns":
            return "dns", f"DNS name not found: {host}"
        if result == "refused":
            return "refused", f"connection refused by {host}"
        if result == "tls":
            return "tls", _tls_text(hit)
        return "timeout", f"no answer from {host}"
    text = " ".join(str(e) for e in chain)
    if "Connection refused" in text:
        return "refused", f"connection refused by {host}"
    return "reset", f"connection failed: {type(chain[-1]).__name__}"


def _tls_text(exc: BaseException) -> str:
    import re

    text = " ".join(str(e) for e in _chain(exc))
    match = re.search(r"certificate verify failed: ([^(\]'\"]+)", text)
    if match:
        return "TLS certificate problem: " + match.group(1).strip().rstrip(",")
    match = re.search(r"\[SSL: ([A-Z_]+)\]", text)
    if match:
        return "TLS handshake failed: " + match.group(1).lower().replace("_", " ")
    if "hostname" in text.lower():
        return "TLS certificate problem: wrong host name"
    return "TLS handshake failed"


def _is_local_host(host: str | None) -> bool:
    """Hosts readers cannot reach (the local-address rule's test): loopback, private and
    link-local addresses, and names only this network knows."""
    from linkwriter.core.rules.trust import local_reason  # the rules load late (CLI start-up)

    return not host or bool(local_reason(host.strip("[]").lower().rstrip(".")))
