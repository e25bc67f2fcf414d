"""What makes a run fast without changing its verdicts: kept-alive connections shared by the
workers, requests started while the post is still parsed (prefetch, parse_post's on_link)."""

from __future__ import annotations

from net_servers import page, serve
from test_net_checker import fast_config

from linkwriter.core.extract import parse_post
from linkwriter.core.net import NetworkChecker, image_urls, urls_for_post
from linkwriter.core.net import report as R


def test_workers_share_kept_alive_connections():
    peers: set[tuple[str, int]] = set()

    def answer(status: int, title: str):
        def route(h):
            peers.add(h.client_address)
            return status, page(title)

        return route

    routes = {f"/gone{i}": answer(404, "Gone") for i in range(10)}
    routes["*"] = answer(200, "Fine")
    with serve(routes) as s:
        config = fast_config(host_concurrency=2, max_concurrency=8, soft_404=False)
        urls = [s.url(f"/gone{i // 3}" if i % 3 == 0 else f"/p{i}") for i in range(30)]
        with NetworkChecker(config) as checker:
            reps = checker.check(urls)
    assert all(reps[u].verdict == (R.BROKEN if "gone" in u else R.OK) for u in urls)
    # At most two requests at once to the host, so two connections carry all 30 requests
    # (an error page's short body is read, so its connection is kept too).
    assert sum(s.hits.values()) == 30
    assert len(peers) <= 2


def test_prefetch_starts_early_and_check_collects_each_url_once():
    routes = {"/a": lambda h: (200, page("A")), "*": lambda h: (404, b"")}
    with serve(routes) as s:
        config = fast_config()
        with NetworkChecker(config) as checker:
            checker.prefetch(s.url("/a"))
            checker.prefetch(s.url("/a#frag"))  # same page: one fetch
            checker.prefetch(s.url("/dropped"))  # not in the final list: not reported
            checker.prefetch("mailto:me@example.org")  # never fetched
            reps = checker.check([s.url("/a"), s.url("/a#frag"), s.url("/b")])
    assert s.hits["/a"] == 1 and s.hits["/b"] == 1
    assert set(reps) == {s.url("/a"), s.url("/a#frag"), s.url("/b")}
    assert reps[s.url("/a")].verdict == R.OK and reps[s.url("/b")].verdict == R.BROKEN
    assert reps[s.url("/a#frag")].fragment_found is False


def test_prefetch_is_a_no_op_offline():
    config = fast_config(offline=True)
    with NetworkChecker(config) as checker:
        checker.prefetch("http://127.0.0.1:9/x")
        reps = checker.check(["http://127.0.0.1:9/x"])
    assert reps["http://127.0.0.1:9/x"].verdict == R.OFFLINE


TRICKY = """\
# Title with [a link](https://h.example/heading)

Text [inline](https://h.example/a "t") and ![img](https://h.example/i.png) and
[ref][r] and <https://h.example/auto> and a bare https://h.example/bare one.

    [in indented code](https://h.example/code1)

```
[in fenced code](https://h.example/code2)
```

`[in code span](https://h.example/code3)`

<p><a href="https://h.example/html">html</a></p>

| a | b |
|---|---|
| [cell](https://h.example/cell) | x |

> [quoted](https://h.example/quote)

[![badge](https://h.example/badge.svg)](https://h.example/target)

[r]: https://h.example/ref
"""


def test_on_link_announces_only_links_the_post_has():
    heard: list[tuple[str, bool]] = []
    post = parse_post(TRICKY, on_link=lambda href, is_image: heard.append((href, is_image)))
    final = set(urls_for_post(post))
    images = image_urls(post)
    assert heard, "the parser announced nothing"
    for href, is_image in heard:
        assert href.strip() in final
        assert is_image == (href.strip() in images)
    announced = {h for h, _ in heard}
    assert "https://h.example/a" in announced and "https://h.example/ref" in announced
    assert "https://h.example/cell" in announced and "https://h.example/target" in announced
    assert not any("code" in h for h in announced)
    assert parse_post(TRICKY) == post  # listening changes nothing


def test_closing_a_checker_with_uncollected_prefetches_lets_its_workers_go():
    import threading
    import time

    routes = {"*": lambda h: (time.sleep(0.05), (200, page("P")))[1]}
    with serve(routes) as s:
        checker = NetworkChecker(fast_config(host_concurrency=1))
        for i in range(20):
            checker.prefetch(s.url(f"/p{i}"))
        checker.close()
        end = time.monotonic() + 5
        while time.monotonic() < end and any(
            t.name.startswith("linkwriter-net-") for t in threading.enumerate()
        ):
            time.sleep(0.05)
        assert not [t for t in threading.enumerate() if t.name.startswith("linkwriter-net-")]
        assert sum(s.hits.values()) < 20  # the queued ones were dropped, not fetched


def test_on_result_hears_each_fetch_once_as_it_finishes_prefetched_ones_included():
    """The CLI starts on each page (relevance profiles) as soon as its report exists."""
    heard: list[tuple[str, str]] = []
    routes = {"/a": lambda h: (200, page("A")), "*": lambda h: (404, b"")}
    with serve(routes) as s:
        config = fast_config()
        with NetworkChecker(config, on_result=lambda u, r: heard.append((u, r.verdict))) as c:
            c.prefetch(s.url("/a#x"))  # fetched before check() knows the whole list
            reps = c.check([s.url("/a#x"), s.url("/a"), s.url("/b")])
    assert sorted(heard) == [(s.url("/a"), R.OK), (s.url("/b"), R.BROKEN)]
    assert reps[s.url("/a")].verdict == R.OK


def test_a_failing_on_result_listener_does_not_break_the_check():
    def listener(url, rep):
        raise RuntimeError("listener bug")

    with (
        serve({"/a": lambda h: (200, page("A"))}) as s,
        NetworkChecker(fast_config(), on_result=listener) as checker,
    ):
        reps = checker.check([s.url("/a")])
    assert reps[s.url("/a")].verdict == R.OK


def test_snapshots_are_taken_by_the_workers_as_pages_arrive(tmp_path):
    """Hashing a page's text happens while other requests are in flight, not in one long
    serial pass after the last response; the result is the same snapshot."""
    from linkwriter.core.net import Cache
    from linkwriter.core.net.snapshots import take_snapshot

    taken_before_the_end: list[bool] = []
    routes = {f"/p{i}": (lambda h, i=i: (200, page(f"Page {i}"))) for i in range(3)}
    with serve(routes) as s:
        cache = Cache(tmp_path / "c.sqlite3")
        checker = NetworkChecker(fast_config(), cache)
        checker.on_result = lambda url, rep: taken_before_the_end.append(url in checker._snapshots)
        with checker:
            reps = checker.check([s.url(f"/p{i}") for i in range(3)])
        cache.close()
    assert taken_before_the_end == [True, True, True]
    for rep in reps.values():
        expected = take_snapshot(rep.meta, rep.final_url)
        assert rep.snapshot is not None and rep.snapshot.fingerprint == expected.fingerprint
        assert rep.snapshot.simhash == expected.simhash and rep.previous_snapshot is None
