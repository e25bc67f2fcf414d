"""`linkwriter check` with the network: flags, exit codes, JSON evidence, summary, offline."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from net_servers import page, serve

from linkwriter.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKWRITER_NO_USER_CONFIG", "1")
    (tmp_path / ".linkwriter.toml").write_text(
        # Loopback test servers are "local-address" errors offline; silence that rule so exit
        # codes reflect the network verdicts.
        '[rules]\nignore = ["local-address", "no-lead-in"]\n'
        "[network]\n"
        f"cache_path = '{tmp_path / 'cache.sqlite3'}'\n"
        "timeout = 2.0\nretry_wait = 0.05\nhost_interval = 0.0\n"
        "wayback = false\nsafe_browsing = false\n",
        encoding="utf-8",
    )
    return tmp_path


ROUTES = {
    "/ok": lambda h: (200, page("Fine page", ids=("part",))),
    "/old": lambda h: (301, b"", {"Location": "/ok"}),
    "*": lambda h: (404, b""),
}


def write_post(folder: Path, server) -> Path:
    post = folder / "post.md"
    post.write_text(
        f"# Post\n\nSee [the page]({server.url('/ok#part')}) and "
        f"[the old one]({server.url('/old')}).\n"
        f"Also [a dead one]({server.url('/dead')}).\n",
        encoding="utf-8",
    )
    return post


def test_check_json_with_allow_private(project, capsys):
    with serve(ROUTES) as s:
        post = write_post(project, s)
        code = main(["check", str(post), "--allow-private", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1  # broken-link is an error
    data = json.loads(captured.out)
    links = data["files"][0]["links"]
    from linkwriter.core.net import NETWORK_RULE_IDS

    ours = NETWORK_RULE_IDS - {"insecure-http"}  # offline providers add their own findings
    rules = [[f["rule"] for f in link["findings"] if f["rule"] in ours] for link in links]
    assert rules == [[], ["redirected"], ["broken-link"]]
    redirect = next(f for f in links[1]["findings"] if f["rule"] == "redirected")
    assert links[0]["network"]["verdict"] == "ok" and links[0]["network"]["title"] == "Fine page"
    assert links[2]["network"]["status"] == 404
    assert redirect["fixes"][0]["replacement"] == s.url("/ok")
    assert "\r" not in captured.out  # no progress bar in the JSON


def test_check_text_summary_cache_and_no_cache(project, capsys):
    with serve(ROUTES) as s:
        post = write_post(project, s)
        assert main(["check", str(post), "--allow-private"]) == 1
        first = capsys.readouterr().out
        assert main(["check", str(post), "--allow-private"]) == 1
        second = capsys.readouterr().out
        hits = sum(s.hits.values())
        assert main(["check", str(post), "--allow-private", "--no-cache"]) == 1
        assert sum(s.hits.values()) > hits
        assert main(["check", str(post), "--allow-private", "--cache-ttl", "0"]) == 1
        ttl_zero = capsys.readouterr().out
    assert "[broken-link]" in first and "Network: 3 URLs in" in first
    assert "from cache" not in first and "3 from cache" in second
    assert "from cache" not in ttl_zero.splitlines()[-1]


def test_private_hosts_need_the_flag(project, capsys):
    with serve(ROUTES) as s:
        post = write_post(project, s)
        code = main(["check", str(post)])
        assert sum(s.hits.values()) == 0
    out = capsys.readouterr().out
    assert "[broken-link]" not in out and "3 private" in out
    assert code == 0


def test_offline_check_opens_no_socket(project, capsys, monkeypatch):
    with serve(ROUTES) as s:
        post = write_post(project, s)

    def trap(*a, **kw):
        raise AssertionError("offline check touched the network")

    monkeypatch.setattr(socket, "socket", trap)
    monkeypatch.setattr(socket, "create_connection", trap)
    monkeypatch.setattr(socket, "getaddrinfo", trap)
    assert main(["check", str(post), "--offline", "--allow-private"]) == 0
    out = capsys.readouterr().out
    assert "Network:" not in out and "broken-link" not in out
    assert not (project / "cache.sqlite3").exists()


def test_bad_cache_ttl_is_a_usage_error(project, capsys):
    post = project / "p.md"
    post.write_text("hi\n")
    assert main(["check", str(post), "--cache-ttl", "soon"]) == 2
    assert "invalid duration" in capsys.readouterr().err


def test_end_to_end_subprocess(project):
    with serve(ROUTES) as s:
        post = write_post(project, s)
        env = dict(
            os.environ,
            LINKWRITER_NO_USER_CONFIG="1",
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        result = subprocess.run(
            [sys.executable, "-m", "linkwriter", "check", str(post), "--allow-private"],
            capture_output=True,
            text=True,
            cwd=str(ROOT),
            env=env,
            timeout=60,
        )
    assert result.returncode == 1, result.stderr
    assert "[broken-link]" in result.stdout and "[redirected]" in result.stdout
    assert "Network: 3 URLs" in result.stdout
    assert result.stderr == ""  # stderr is not a terminal: no progress bar


def test_insecure_http_gets_the_verified_https_fix_once(project, capsys):
    import ssl

    import trustme

    ca = trustme.CA()
    bundle = project / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    with serve(ROUTES) as http, serve(ROUTES, tls=ctx) as https:
        extra = project / "extra.toml"
        extra.write_text(
            "[network]\n"
            "https_upgrade = true\n"
            f"ca_bundle = '{bundle}'\n"
            f"remap = ['^https://127\\.0\\.0\\.1:{http.port}/ https://127.0.0.1:{https.port}/']\n",
            encoding="utf-8",
        )
        post = project / "p.md"
        post.write_text(f"Read [this]({http.url('/ok')}).\n", encoding="utf-8")
        code = main(
            ["check", str(post), "--allow-private", "--format", "json", "--config", str(extra)]
        )
    assert code == 0
    (link,) = json.loads(capsys.readouterr().out)["files"][0]["links"]
    insecure = [f for f in link["findings"] if f["rule"] == "insecure-http"]
    assert len(insecure) == 1
    (fix,) = insecure[0]["fixes"]
    assert fix["title"] == "Use https" and fix["replacement"] == f"https://127.0.0.1:{http.port}/ok"
