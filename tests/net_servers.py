"""Loopback HTTP(S) servers for the network checker tests: scripted routes, hit counters and a
measure of concurrent requests per server. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[["Handler"], Any]


def page(title: str, body: str = "", ids: tuple[str, ...] = ()) -> bytes:
    anchors = "".join(f'<h2 id="{i}">{i}</h2>' for i in ids)
    text = body or f"{title} " + " ".join(f"word{i}" for i in range(60))
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>"
        f"<meta name='description' content='About {title}'></head>"
        f"<body><main><h1>{title}</h1><p>{text}</p>{anchors}</main></body></html>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server  # type: ignore[assignment]

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        srv = self.server
        path = self.path.split("?", 1)[0]
        with srv.lock:
            srv.hits[path] += 1
            srv.methods.append((self.command, path, time.monotonic()))
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
            srv.headers_seen.append(dict(self.headers))
        try:
            route = srv.routes.get(path) or srv.routes.get("*")
            if route is None:
                self.reply(404, b"<title>nope</title>")
            else:
                result = route(self)
                if isinstance(result, tuple):
                    self.reply(*result)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
        finally:
            with srv.lock:
                srv.active -= 1

    do_GET = do_HEAD = do_POST = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: dict[str, Route], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), Handler)
        self.routes = routes
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str, float]] = []
        self.headers_seen: list[dict[str, str]] = []
        self.active = 0
        self.max_active = 0
        self.scheme = "http"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-answer is what several tests do on purpose

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


@contextlib.contextmanager
def serve(routes: dict[str, Route], *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"):
    server = Server(routes, host)
    if tls is not None:
        server.socket = tls.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        server.scheme = "https"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
