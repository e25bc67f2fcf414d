"""Relevance through `linkwriter check`: fetched pages are scored and the verdicts reach JSON
and text output (pages served on loopback, the full pipeline: fetch -> metadata -> score)."""

import json

from net_servers import serve

from linkwriter.cli import main

SOURDOUGH = (
    "# Keeping a sourdough starter alive\n\n"
    "A sourdough starter needs regular feeding with flour and water. Bakers keep the starter "
    "at a steady hydration so the wild yeast and bacteria stay active and the bread rises. "
    "For the science of fermentation and hydration, read [this guide to starter feeding]({vpn}) "
    "and the [starter hydration primer]({good}).\n\n"
    "Feeding the starter twice a day at room temperature keeps the culture lively, sour and "
    "ready for baking bread. A starter that smells of acetone is hungry: feed it more often, "
    "and keep the flour, water and starter in equal weights for a classic 100% hydration.\n"
)


def html(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html lang='en'><head><title>{title}</title>"
        f"<meta name='description' content='{body[:80]}'></head>"
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


ROUTES = {
    "/vpn": lambda h: (
        200,
        html(
            "Best VPN deals 2026",
            "Compare virtual private network subscriptions, streaming unblocking, servers "
            "in sixty countries, encryption protocols, monthly prices and gaming latency.",
        ),
    ),
    "/starter": lambda h: (
        200,
        html(
            "Sourdough starter hydration explained",
            "How flour and water ratios change a sourdough starter: hydration, feeding "
            "schedules, wild yeast, fermentation, rise and sourness of the bread.",
        ),
    ),
    "*": lambda h: (404, b""),
}


def test_off_topic_page_is_named_with_reasons(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LINKWRITER_NO_USER_CONFIG", "1")
    (tmp_path / ".linkwriter.toml").write_text(
        '[rules]\nignore = ["local-address", "insecure-http"]\n'
        f"[network]\ncache_path = '{tmp_path / 'cache.sqlite3'}'\n"
        "timeout = 2.0\nretry_wait = 0.05\nhost_interval = 0.0\n"
        "wayback = false\nsafe_browsing = false\n",
        encoding="utf-8",
    )
    post = tmp_path / "post.md"
    with serve(ROUTES) as server:
        post.write_text(
            SOURDOUGH.format(vpn=server.url("/vpn"), good=server.url("/starter")),
            encoding="utf-8",
        )
        assert main(["check", str(post), "--allow-private", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert main(["check", str(post), "--allow-private"]) == 0
        text = capsys.readouterr().out
    vpn, good = data["files"][0]["links"]
    assert [f["rule"] for f in vpn["findings"]] == ["off-topic-link"]
    assert "Best VPN deals 2026" in vpn["findings"][0]["message"]
    assert vpn["relevance"]["verdict"] == "off-topic"
    assert vpn["relevance"]["missing"]
    assert good["findings"] == []
    assert good["relevance"]["verdict"] == "on-topic"
    assert good["relevance"]["score"] > vpn["relevance"]["score"]
    summary = data["files"][0]["relevance"]
    assert "sourdough" in summary["key_terms"] and summary["links_off_topic"] == 1
    assert "Relevance: the post is about" in text
    assert "warning[off-topic-link]" in text
