"""A broken link on the writer's own network is never sent to a third-party archive."""

from linkwriter.core.net.checker import _is_local_host


def test_local_hosts_are_recognised():
    for host in (
        "127.0.0.1",
        "192.168.1.20",
        "10.0.0.5",
        "[::1]",
        "fe80::1",
        "localhost",
        "nas.local",
        "wiki.internal",
        "printer.lan",
        "box.home",
        None,
        "",
    ):
        assert _is_local_host(host), host
    for host in ("example.com", "8.8.8.8", "archive.org", "2001:4860:4860::8888"):
        assert not _is_local_host(host), host
