"""The network part of `linkwriter check`: flags, progress bar, one fetch per URL per run."""

from __future__ import annotations

import argparse
import io
import os
import select

import pytest
from net_servers import page, serve
from test_net_checker import fast_config

from linkwriter.core.extract import parse_post
from linkwriter.core.net.cli_support import (
    ProgressBar,
    add_network_arguments,
    apply_network_arguments,
    network_stage,
    parse_duration,
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offline", action="store_true")
    add_network_arguments(parser)
    return parser.parse_args(list(argv))


def test_flags_and_durations():
    assert parse_duration("90") == 90 and parse_duration("30m") == 1800
    assert parse_duration("2h") == 7200 and parse_duration("1d") == 86400
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration("soon")
    args = parse("--no-cache", "--cache-ttl", "10m", "--allow-private")
    assert args.no_cache and args.cache_ttl == 600 and args.allow_private
    config = fast_config(allow_private=False)
    apply_network_arguments(config, args)
    assert config.network.allow_private
    assert config.network.cache_ttl_ok == 600 and config.network.cache_ttl_error == 600
    with pytest.raises(SystemExit):
        parse("--cache-ttl", "later")


def test_progress_bar_draws_only_on_a_terminal():
    master, slave = os.openpty()
    try:
        tty = os.fdopen(slave, "w", encoding="utf-8")
        bar = ProgressBar(tty)
        assert bar.enabled
        bar(1, 2, "http://a.example/", None)
        bar(2, 2, "http://b.example/", None)
        bar.finish()
        tty.flush()
        drawn = ""
        while select.select([master], [], [], 0.5)[0]:
            chunk = os.read(master, 4096).decode()
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
        tty.close()
    assert "1/2" in drawn and "2/2" in drawn and "#" in drawn
    plain = io.StringIO()
    quiet = ProgressBar(plain)
    quiet(1, 1, "http://a.example/", None)
    quiet.finish()
    assert plain.getvalue() == ""


def test_network_stage_checks_each_url_once_across_posts(tmp_path):
    routes = {"/a": lambda h: (200, page("A")), "*": lambda h: (404, b"")}
    with serve(routes) as s:
        one = parse_post(f"[a]({s.url('/a')}) and [gone]({s.url('/gone')})\n")
        two = parse_post(f"Again [a]({s.url('/a')}).\n")
        c1 = fast_config(allow_private=False, cache_path=str(tmp_path / "c.sqlite3"))
        c2 = fast_config(allow_private=False)
        stage = network_stage([(one, c1), (two, c2)], parse("--allow-private"), show_progress=False)
        assert s.hits["/a"] == 1
        again = network_stage([(one, c1)], parse("--allow-private"), show_progress=False)
        assert s.hits["/a"] == 1 and s.hits["/gone"] == 1  # served from the cache
        fresh = network_stage(
            [(one, c1)], parse("--allow-private", "--no-cache"), show_progress=False
        )
        assert s.hits["/a"] == 2
    assert [f.rule for f in stage.findings[0]] == ["broken-link"] and stage.findings[1] == []
    assert stage.link_fields[0][0]["network"]["verdict"] == "ok"
    assert stage.link_fields[0][1]["network"]["status"] == 404
    assert "2 URLs" in stage.summary and "1 ok" in stage.summary and "1 broken" in stage.summary
    assert "2 from cache" in again.summary and "from cache" not in fresh.summary


def test_network_stage_offline_and_private(tmp_path):
    with serve({"*": lambda h: (200, page("A"))}) as s:
        post = parse_post(f"[a]({s.url('/a')})\n")
        config = fast_config(allow_private=False, cache_path=str(tmp_path / "c.sqlite3"))
        offline = network_stage([(post, config)], parse("--offline"), show_progress=False)
        private = network_stage(
            [(post, fast_config(allow_private=False))], parse("--no-cache"), show_progress=False
        )
        assert sum(s.hits.values()) == 0
    assert offline.findings == [[]] and offline.summary == ""
    assert not (tmp_path / "c.sqlite3").exists()
    assert private.findings == [[]] and "1 private" in private.summary


def test_check_post_links_for_the_app_and_snapshot_in_json(tmp_path):
    from linkwriter.core.net import Cache, check_post_links
    from linkwriter.core.net.cli_support import link_fields

    with serve({"/a": lambda h: (200, page("A")), "*": lambda h: (404, b"")}) as s:
        post = parse_post(f"[a]({s.url('/a')}) ![img]({s.url('/i.png')})\n")
        cache = Cache(tmp_path / "c.sqlite3")
        reports, findings = check_post_links(post, fast_config(), cache=cache)
        methods = {p: m for m, p, _ in s.methods}
    assert [f.rule for f in findings] == ["broken-link"] and findings[0].link_index == 1
    assert methods["/i.png"] == "GET"  # HEAD said 404; asked again with GET before judging
    fields = link_fields(post, reports)
    assert fields[0]["network"]["snapshot"]["title"] == "A"
    assert fields[0]["network"]["snapshot"]["changed"] is False
    assert "snapshot" not in fields[1]["network"]
