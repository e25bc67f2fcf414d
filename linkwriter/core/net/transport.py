"""requests plumbing with hard bounds: sockets that honour a total deadline, refuse private
addresses at connect time, and bodies read as capped streams (raw and decompressed).

Why a custom connection class: a read timeout only bounds one recv(), so a server that trickles
one byte a second (slowloris) would hang a run; and a host name checked once could re-resolve to
a private address (DNS rebinding). Both are handled where the socket is born.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()


class PrivateAddressError(Exception):
    """The connection would reach a loopback, private or link-local address."""

    def __init__(self, address: str) -> None:
        super().__init__(f"address {address} is private or local")
        self.address = address


def is_private_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True  # not an address we understand: refuse rather than guess
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


@dataclass(eq=False)
class Watch:
    """A deadline for one request; the watchdog shuts its sockets down when it passes."""

    deadline: float
    sockets: list[socket.socket] = field(default_factory=list)
    expired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            if self.expired:
                _shutdown(sock)
            else:
                self.sockets.append(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread, started on first use (never at import), polling active watches."""

    TICK = 0.02

    def __init__(self) -> None:
        self._watches: set[Watch] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, watch: Watch) -> None:
        with self._lock:
            self._watches.add(watch)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="linkwriter-watchdog", daemon=True
                )
                self._thread.start()

    def remove(self, watch: Watch) -> None:
        with self._lock:
            self._watches.discard(watch)

    def _run(self) -> None:
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                due = [w for w in self._watches if w.deadline <= now]
                for w in due:
                    self._watches.discard(w)
                if not self._watches and not due:
                    self._thread = None
                    return
            for w in due:
                w.expire()


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def request_context(*, deadline: float, allow_private: bool) -> Iterator[Watch]:
    """Bind a deadline and the private-address policy to requests made by this thread."""
    watch = Watch(deadline)
    previous = (getattr(_local, "watch", None), getattr(_local, "allow_private", False))
    _local.watch, _local.allow_private = watch, allow_private
    _WATCHDOG.add(watch)
    try:
        yield watch
    finally:
        _WATCHDOG.remove(watch)
        _local.watch, _local.allow_private = previous


def _on_socket(sock: socket.socket) -> None:
    watch: Watch | None = getattr(_local, "watch", None)
    if watch is not None:
        watch.add(sock)
    if not getattr(_local, "allow_private", False):
        try:
            peer = sock.getpeername()[0]
        except OSError:
            return
        if is_private_address(peer):
            sock.close()
            raise PrivateAddressError(peer)


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _on_socket(sock)
        return sock


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _on_socket(sock)
        return sock


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection

    def _get_conn(self, timeout: float | None = None):  # type: ignore[override]
        conn = super()._get_conn(timeout)
        if conn.sock is not None:  # a kept-alive connection joins this request's watch
            _on_socket(conn.sock)
        return conn


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection

    def _get_conn(self, timeout: float | None = None):  # type: ignore[override]
        conn = super()._get_conn(timeout)
        if conn.sock is not None:
            _on_socket(conn.sock)
        return conn


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:  # type: ignore[override]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


def make_adapter(pool_size: int, hosts: int = 64) -> HTTPAdapter:
    """Connection pools shared by every worker of a run: keep-alive connections to a host are
    reused whichever thread asks next. pool_size should be the most requests a host may get at
    once (its concurrency); hosts is how many hosts keep their idle connections."""
    return _GuardedAdapter(
        pool_connections=max(hosts, 1), pool_maxsize=max(pool_size, 1), max_retries=0
    )


def make_session(
    headers: dict[str, str],
    verify: str | bool,
    pool_size: int = 2,
    adapter: HTTPAdapter | None = None,
) -> requests.Session:
    """A Session for one worker thread. Environment proxies are ignored on purpose: a check
    must reach the site itself, and a proxy would defeat the private-address guard. With a
    shared adapter the session is only headers, cookies and settings; closing it is not needed
    (close the adapter once, at the end of the run)."""
    session = requests.Session()
    session.trust_env = False
    if adapter is None:
        adapter = make_adapter(pool_size, hosts=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.clear()
    session.headers.update(headers)
    session.verify = verify
    return session


def discard_body(response: requests.Response, limit: int = 65536) -> None:
    """Finish a response whose body we do not need. A short rest (redirects, error pages,
    HEAD) is read and dropped so the connection goes back to the pool for keep-alive; a long
    or endless one is cut by closing the connection."""
    raw = response.raw
    try:
        length = response.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) <= limit:
            left = limit
            while left > 0:
                chunk = raw.read(min(left, 16384), decode_content=False)
                if not chunk:
                    break
                left -= len(chunk)
    except (OSError, urllib3.exceptions.HTTPError):
        pass
    finally:
        response.close()  # a no-op for the connection once it was released at the body's end


@dataclass(slots=True)
class Body:
    data: bytes
    truncated: bool


def read_body(response: requests.Response, max_raw: int, max_decoded: int) -> Body:
    """Read a streamed body within both caps, decompressing ourselves so a gzip bomb stops at
    max_decoded bytes instead of filling memory."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = _DeflateDecoder()
    raw = response.raw
    out = bytearray()
    read_raw = 0
    truncated = False
    try:
        while True:
            chunk = raw.read(65536, decode_content=False)
            if not chunk:
                break
            read_raw += len(chunk)
            if decoder is None:
                out += chunk
            else:
                room = max_decoded - len(out)
                out += decoder.decompress(chunk, room + 1)
                while decoder.unconsumed_tail and len(out) <= max_decoded:
                    out += decoder.decompress(decoder.unconsumed_tail, max_decoded - len(out) + 1)
            limit = max_decoded if decoder is not None else min(max_raw, max_decoded)
            if len(out) > limit or read_raw >= max_raw:
                truncated = True
                del out[limit:]
                break
    except (zlib.error, OSError, urllib3.exceptions.HTTPError):
        # A body cut short still tells us the status and usually the <head>; keep what
        # arrived. (A deadline cut is noticed by the caller through its Watch.)
        truncated = True
    finally:
        response.close()
    return Body(bytes(out), truncated)


class _DeflateDecoder:
    """'deflate' is zlib-wrapped per the RFC but raw in some servers; accept both."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj()
        self._first = True

    @property
    def unconsumed_tail(self) -> bytes:
        return self._obj.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._first:
            self._first = False
            try:
                return self._obj.decompress(data, max_length)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._obj.decompress(data, max_length)
