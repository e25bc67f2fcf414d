"""Page profiles made while the network check runs (in this process or a helper process) are
exactly what the judge would have made itself, and the judge really uses them."""

from __future__ import annotations

import pytest

from linkwriter.core.config import Config
from linkwriter.core.extract import parse_post
from linkwriter.core.net.report import PageMeta
from linkwriter.core.relevance import page_info_from_metadata, relevance_report, scoring, warm
from linkwriter.core.relevance.warm import ProfileWarmer

TOPICS = [
    ("sourdough", "Sourdough starter guide", "flour water starter feeding jar yeast bread"),
    ("vpn", "Best VPN deals", "vpn provider price speed servers streaming privacy"),
    ("tomato", "Growing tomatoes on a balcony", "tomato pot soil sun water balcony plant"),
    ("guitar", "Tuning a guitar by ear", "guitar string tuning pitch fret ear chord"),
]


def _post_and_metas(n: int = 8):
    lines = ["# Baking bread at home", ""]
    metas: dict[str, PageMeta] = {}
    for i in range(n):
        slug, title, words = TOPICS[i % len(TOPICS)]
        url = f"https://site{i}.example/{slug}/{i}"
        lines.append(
            f"Our sourdough starter needs flour and water every day, and the jar stays warm; "
            f"read [the {slug} guide]({url}) before you bake the bread."
        )
        lines.append("")
        metas[url] = PageMeta(
            final_url=url,
            status=200,
            content_type="text/html",
            language="en",
            title=f"{title} {i}",
            description=f"All about {slug}",
            headings=[title],
            text=" ".join([words] * 30),
        )
    lines.append("![a photo](https://img.example/photo.png) and [mail](mailto:me@example.org)")
    return parse_post("\n".join(lines)), metas


def _report(post, metas, config):
    pages = {url: page_info_from_metadata(meta, url=url) for url, meta in metas.items()}
    return relevance_report(post, pages, config).to_dict()


@pytest.fixture(autouse=True)
def _empty_memo():
    scoring._PROFILES.clear()
    yield
    scoring._PROFILES.clear()


def _judge_may_not_profile(monkeypatch):
    def refuse(page, lang="en"):
        raise AssertionError(f"the judge profiled {page.url} itself")

    monkeypatch.setattr(scoring, "profile_page", refuse)


def test_warmer_knows_the_judged_links_and_their_language():
    post, metas = _post_and_metas(3)
    warmer = ProfileWarmer([(post, Config())], helper=False)
    assert set(warmer.languages) == set(metas)  # no image, no mailto:
    assert all(langs == {"en"} for langs in warmer.languages.values())


@pytest.mark.parametrize("helper", [False, True], ids=["in-process", "helper-process"])
def test_warmed_profiles_are_the_judges_own(monkeypatch, helper):
    # 90 pages: more than the helper may hold at once, so close() shares out the rest.
    post, metas = _post_and_metas(90 if helper else 8)
    config = Config()
    expected = _report(post, metas, config)
    assert any(link["verdict"] != "unchecked" for link in expected["links"].values())
    scoring._PROFILES.clear()

    monkeypatch.setattr(warm, "_spare_core", lambda: True)  # whatever the test machine's load
    with ProfileWarmer([(post, config)], helper=helper, helper_min_pages=1) as warmer:
        assert warmer.uses_helper is helper
        for url, meta in metas.items():
            warmer.warm(url, meta)
            warmer.warm(url + "#nowhere", meta)  # not a key the judge looks up: ignored
    _judge_may_not_profile(monkeypatch)
    assert _report(post, metas, config) == expected


def test_pages_the_judge_skips_are_not_profiled():
    post, metas = _post_and_metas(2)
    first, second = list(metas)
    warmer = ProfileWarmer([(post, Config())], helper=False)
    metas[first].status = 404
    warmer.warm(first, metas[first])
    warmer.warm(second, None)  # no metadata (an image, a failure)
    warmer.warm("https://unknown.example/", metas[second])
    assert warmer.warmed == 0 and not scoring._PROFILES
    warmer.warm(second, metas[second])
    assert warmer.warmed == 1 and len(scoring._PROFILES) == 1


def test_warming_stops_at_the_memo_size_so_early_pages_are_not_evicted(monkeypatch):
    post, metas = _post_and_metas(4)
    warmer = ProfileWarmer([(post, Config())], helper=False)
    warmer.budget = 2
    for url, meta in metas.items():
        warmer.warm(url, meta)
    assert warmer.warmed == 2 and len(scoring._PROFILES) == 2


def test_no_helper_process_when_no_core_is_spare(monkeypatch):
    post, metas = _post_and_metas(3)
    monkeypatch.setattr(warm, "_spare_core", lambda: False)
    with ProfileWarmer([(post, Config())], helper=True, helper_min_pages=1) as warmer:
        assert not warmer.uses_helper
        for url, meta in metas.items():
            warmer.warm(url, meta)
    assert len(scoring._PROFILES) == 3  # made here instead


def test_spare_core_reads_the_load_average(monkeypatch):
    monkeypatch.setattr(warm.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(warm.os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    assert warm._spare_core()
    monkeypatch.setattr(warm.os, "getloadavg", lambda: (3.0, 2.0, 1.0))
    assert not warm._spare_core()
    monkeypatch.setattr(warm.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(warm.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not warm._spare_core()
