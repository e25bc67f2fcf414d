"""The verdict cache across runs, corrupt caches, snapshots, Safe Browsing through the keyring,
and the offline mode that opens no socket at all."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from net_servers import page, serve
from test_net_checker import fast_config

from linkwriter.core.net import Cache, NetworkChecker
from linkwriter.core.net import report as R
from linkwriter.core.net.report import UrlReport


def run(config, cache, *urls):
    with NetworkChecker(config, cache) as checker:
        return checker.check(urls)


def test_cache_across_runs_and_failure_ttl(tmp_path):
    path = tmp_path / "c.sqlite3"
    routes = {"/ok": lambda h: (200, page("Ok")), "*": lambda h: (404, b"")}
    with serve(routes) as s:
        first = run(fast_config(), Cache(path), s.url("/ok"), s.url("/gone"))
        hits = sum(s.hits.values())
        second = run(fast_config(), Cache(path), s.url("/ok"), s.url("/gone"))
        assert sum(s.hits.values()) == hits  # nothing fetched again
        third = run(fast_config(), Cache(path, ttl_error=0), s.url("/ok"), s.url("/gone"))
        assert s.hits["/gone"] == 2 and s.hits["/ok"] == 1  # only the failure expired
    assert not first[s.url("/ok")].from_cache
    assert second[s.url("/ok")].from_cache and second[s.url("/ok")].verdict == R.OK
    assert second[s.url("/ok")].meta.title == "Ok"
    assert second[s.url("/gone")].verdict == R.BROKEN
    assert third[s.url("/ok")].from_cache and not third[s.url("/gone")].from_cache


def test_cached_page_still_answers_fragment_questions(tmp_path):
    routes = {"/doc": lambda h: (200, page("Doc", ids=("a",))), "*": lambda h: (404, b"")}
    with serve(routes) as s:
        run(fast_config(), Cache(tmp_path / "c"), s.url("/doc"))
        reps = run(fast_config(), Cache(tmp_path / "c"), s.url("/doc#a"), s.url("/doc#b"))
        assert s.hits["/doc"] == 1
    assert reps[s.url("/doc#a")].fragment_found is True
    assert reps[s.url("/doc#b")].fragment_found is False


def test_cache_is_wal_and_versioned(tmp_path):
    cache = Cache(tmp_path / "c.sqlite3")
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1
    db.execute("PRAGMA user_version = 999")  # written by some other version
    db.commit()
    db.close()
    cache.put_many([UrlReport(url="http://a.example/", checked_at=time.time())])
    cache.close()
    again = Cache(tmp_path / "c.sqlite3")
    assert again.get("http://a.example/") is None  # rebuilt, not misread


@pytest.mark.parametrize(
    "garbage", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000]
)
def test_corrupt_cache_is_moved_aside_and_rebuilt(tmp_path, garbage):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(garbage)
    cache = Cache(path)
    assert cache.moved_aside is not None and cache.moved_aside.read_bytes() == garbage
    cache.put_many([UrlReport(url="http://a.example/", checked_at=time.time())])
    assert cache.get("http://a.example/").verdict == R.OK


def test_two_processes_write_the_same_cache(tmp_path):
    path = tmp_path / "c.sqlite3"
    Cache(path).close()
    code = (
        "import sys, time\n"
        "from linkwriter.core.net.cache import Cache\n"
        "from linkwriter.core.net.report import UrlReport\n"
        "c = Cache(sys.argv[1])\n"
        "for i in range(150):\n"
        "    u = f'http://{sys.argv[2]}.example/{i}'\n"
        "    c.put_many([UrlReport(url=u, checked_at=time.time())])\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), name], cwd=str(_repo()))
        for name in ("one", "two")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    cache = Cache(path)
    assert all(cache.get(f"http://{n}.example/{i}") for n in ("one", "two") for i in range(150))


def _repo():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


def test_snapshot_baseline_and_content_changed(tmp_path):
    state = {"text": "Tomatoes grow best in full sun " * 20, "title": "Growing tomatoes"}

    def article(h):
        return (200, page(state["title"], body=state["text"]))

    with serve({"/post": article, "*": lambda h: (404, b"")}) as s:
        url = s.url("/post")
        config = fast_config(cache_ttl_ok=0)
        first = run(config, Cache(tmp_path / "c", ttl_ok=0), url)[url]
        same = run(config, Cache(tmp_path / "c", ttl_ok=0), url)[url]
        state["text"] = "Our casino offers the best bonuses and free spins every day " * 10
        state["title"] = "Best casino bonuses"
        drifted = run(config, Cache(tmp_path / "c", ttl_ok=0), url)[url]
    assert (
        first.snapshot is not None and first.previous_snapshot is None and not first.content_changed
    )
    assert (
        not same.content_changed
        and same.previous_snapshot.fingerprint == first.snapshot.fingerprint
    )
    assert drifted.content_changed and drifted.previous_snapshot.title == "Growing tomatoes"


@pytest.fixture
def file_keyring(tmp_path):
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_safe_browsing_lookup_with_key_from_keyring(tmp_path, file_keyring):
    import keyring

    keyring.set_password("linkwriter", "safe-browsing", "test-key-123")
    calls = []

    with serve({"*": lambda h: (200, page("Site"))}) as site:
        bad = site.url("/bad")

        def lookup(h):
            body = json.loads(h.rfile.read(int(h.headers["Content-Length"])))
            calls.append((h.headers.get("X-Goog-Api-Key"), h.path, body))
            matches = [
                {
                    "threatType": "SOCIAL_ENGINEERING",
                    "platformType": "ANY_PLATFORM",
                    "threat": {"url": e["url"]},
                    "cacheDuration": "300s",
                    "threatEntryType": "URL",
                }
                for e in body["threatInfo"]["threatEntries"]
                if e["url"].endswith("/bad")
            ]
            return (
                200,
                json.dumps({"matches": matches} if matches else {}).encode(),
                {"Content-Type": "application/json"},
            )

        with serve({"/v4/threatMatches:find": lookup}) as sb:
            config = fast_config(
                safe_browsing=True,
                safe_browsing_endpoint=sb.url("/v4/threatMatches:find"),
                soft_404=False,
            )
            reps = run(config, Cache(tmp_path / "c"), bad, site.url("/good#x"))
            again = run(config, Cache(tmp_path / "c"), bad)
    assert reps[bad].threats == ["SOCIAL_ENGINEERING"] and reps[site.url("/good#x")].threats == []
    assert again[bad].threats == ["SOCIAL_ENGINEERING"]
    assert len(calls) == 1  # the second run used the cached match (cacheDuration 300 s)
    key, path, body = calls[0]
    assert key == "test-key-123" and "test-key-123" not in path
    assert sorted(e["url"] for e in body["threatInfo"]["threatEntries"]) == sorted(
        [bad, site.url("/good")]
    )


def test_safe_browsing_batches_500(file_keyring):
    import requests

    from linkwriter.core.net.safebrowsing import lookup

    sizes = []

    def endpoint(h):
        body = json.loads(h.rfile.read(int(h.headers["Content-Length"])))
        sizes.append(len(body["threatInfo"]["threatEntries"]))
        return (200, b"{}", {"Content-Type": "application/json"})

    with serve({"/find": endpoint}) as sb, requests.Session() as session:
        found = lookup(
            session, sb.url("/find"), "k", [f"http://x.example/{i}" for i in range(1001)]
        )
    assert sizes == [500, 500, 1] and found == {}


def test_no_key_means_no_safe_browsing_request(tmp_path, file_keyring):
    with (
        serve({"*": lambda h: (200, page("Site"))}) as site,
        serve({"*": lambda h: (500, b"")}) as sb,
    ):
        config = fast_config(
            safe_browsing=True, safe_browsing_endpoint=sb.url("/find"), soft_404=False
        )
        run(config, None, site.url("/a"))
        assert sum(sb.hits.values()) == 0


def test_offline_opens_no_socket(tmp_path, file_keyring, monkeypatch):
    import keyring

    keyring.set_password("linkwriter", "safe-browsing", "k")
    opened = []

    class NoSocket(socket.socket):
        def __init__(self, *a, **kw):
            opened.append(a)
            raise AssertionError("offline mode opened a socket")

    def no_dns(*a, **kw):
        opened.append(a)
        raise AssertionError("offline mode resolved a name")

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", no_dns)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    config = fast_config(offline=True, safe_browsing=True, wayback=True, https_upgrade=True)
    reps = run(config, Cache(tmp_path / "c"), "https://example.org/a", "http://example.com/b#c")
    assert {r.verdict for r in reps.values()} == {R.OFFLINE}
    assert opened == []
    with pytest.raises(AssertionError):  # the trap is armed: it would have caught a socket
        socket.socket()
