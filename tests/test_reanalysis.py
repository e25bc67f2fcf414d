"""core.reanalysis: after any edit, the cached path gives exactly what a fresh analyze() gives
(rule, severity, message, fixes with exact spans, link index, data), including edits that
change post-wide facts: the title, a duplicate link, link density, an ignore marker, the
post's vocabulary, fetched pages. Also the GUI pipeline's use of it, with pages fetched from a
loopback server, and the frozen entry scripts' freeze_support()."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from net_servers import serve
from test_relevance_cli import ROUTES, SOURDOUGH

from linkwriter.core import reanalysis
from linkwriter.core.analysis import analyze, offline_providers
from linkwriter.core.config import Config, NetworkConfig
from linkwriter.core.extract import parse_post
from linkwriter.core.reanalysis import Reanalyzer
from linkwriter.core.relevance import PageInfo, relevance_provider
from linkwriter.gui.pipeline import build_result

ROOT = Path(__file__).resolve().parent.parent

BASE = (
    "---\ntitle: Sourdough at home\n---\n\n# Sourdough at home\n\n"
    "A sourdough starter needs flour and water. Read [the starter guide]"
    "(https://example.com/sourdough-starter-guide) before you bake.\n\n"
    "[Click here](http://bit.ly/abc).\n\n"
    "I use [this grinder](https://www.amazon.com/dp/B07BQ1ZL6S?tag=coffeeblog-20) daily.\n\n"
    "See <https://docs.example.org/rye/flour> and https://www.example.net/oven?id=3 too.\n\n"
    "## Further reading\n\n"
    "- [Crumb notes][crumb]\n- [Hydration](https://example.com/hydration-basics-for-bakers)\n\n"
    "Some <a href=\"https://example.org/steam-baking\">steam baking</a> tips and "
    "![a loaf](https://img.example.com/1.jpg) here.\n\n"
    "A sourdough starter needs regular feeding with flour and water. Bakers keep the starter "
    "at a steady hydration so the wild yeast stays active and the bread rises. For the "
    "science of fermentation and hydration, read [this guide to starter feeding]"
    "(https://vpn.example.com/best-vpn-deals).\n\n"
    "[crumb]: https://ref.example.com/crumb-structure-guide\n"
)

# Pieces an edit may insert: plain letters, Markdown syntax, whole links (a duplicate of one
# already there, a new affiliate link, many links for density), markers, headings, a title.
SNIPPETS = [
    "a", "x", " ", ".", "\n", "\n\n", "[", "]", "(", ")", "<", ">", "#", "`", "Sourdough",
    "flour", " [the starter guide](https://example.com/sourdough-starter-guide)",
    " [deal](https://www.amazon.com/dp/B0?tag=x-20)",
    " [a](https://a.example.com/x) [b](https://b.example.com/y) [c](https://c.example.com/z)",
    "<!-- linkwriter-ignore: no-lead-in -->\n", "<!-- linkwriter-ignore-post: generic-anchor -->",
    "\n\n## Oven Temperature\n\n", "---\ntitle: VPN deals\n---\n", "(affiliate link)",
    "[more](https://example.com/more)", " https://bare.example.com/rye-bread-recipe ",
    "\n\n[crumb]: https://ref.example.com/other\n", "<a href=\"https://x.example.com/\">x",
    "Bread", "starter", "é", "😀",
]

PAGES = {
    "https://vpn.example.com/best-vpn-deals": PageInfo(
        url="https://vpn.example.com/best-vpn-deals", title="Best VPN deals 2026",
        text="Compare virtual private network subscriptions, streaming unblocking, servers in "
        "sixty countries, encryption protocols, monthly prices and gaming latency. " * 3,
        lang="en", status=200, content_type="text/html"),
    "https://example.com/sourdough-starter-guide": PageInfo(
        url="https://example.com/sourdough-starter-guide", title="Sourdough starter guide",
        text="How flour and water ratios change a sourdough starter: hydration, feeding "
        "schedules, wild yeast, fermentation, rise and sourness of the bread. " * 3,
        lang="en", status=200, content_type="text/html"),
}


def fingerprint(findings):
    return [(f.rule, f.category, f.severity, f.message, f.start, f.end, f.fixes, f.link_index,
             f.data) for f in findings]


def fresh(text: str, config: Config, pages) -> list:
    providers = [*offline_providers(relevance=False), relevance_provider(pages)]
    return analyze(parse_post(text), config, providers=providers).findings


def apply_edit(text: str, rnd: random.Random) -> str:
    pos = rnd.randrange(len(text) + 1)
    if rnd.random() < 0.3 and text:
        return text[:pos] + text[pos + rnd.randint(1, 12):]
    return text[:pos] + rnd.choice(SNIPPETS) + text[pos:]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), with_pages=st.booleans())
def test_cached_path_equals_fresh_analysis_after_random_edits(seed, with_pages):
    rnd = random.Random(seed)
    config = Config()
    pages = PAGES if with_pages else {}
    reanalyzer = Reanalyzer()
    text = BASE
    for _ in range(8):
        got = reanalyzer.analyze(parse_post(text), config, pages)
        assert fingerprint(got) == fingerprint(fresh(text, config, pages)), text
        text = apply_edit(text, rnd)
    # The cache was really used. (Not asked of the random edits: one that closes the front
    # matter far down makes every later edit a front-matter change, which empties it.)
    reanalyzer.analyze(parse_post(BASE), config, pages)
    hits = reanalyzer.hits
    reanalyzer.analyze(parse_post(BASE), config, pages)
    assert reanalyzer.hits > hits


# Edits to reference definitions too: they change links far from the edit.
DEFINITION_SNIPPETS = SNIPPETS + [
    "[crumb]: https://ref.example.com/moved\n", "\n[new]: https://new.example.com/n\n",
    " [A][crumb] ", " [z][new] ", " ", "x",
]
REFERENCE_USERS = "".join(
    f"Loaf {i} uses [crumb {i}][crumb] and [new {i}][new] with "
    f"[guide {i}](https://example.com/g{i}) here.\n\n" for i in range(6)
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), with_pages=st.booleans())
def test_the_apps_incremental_path_equals_fresh_analysis(seed, with_pages):
    """What the worker does with a doc_id: IncrementalExtractor (which hands back the same
    Link objects for unchanged paragraphs) then Reanalyzer, edit after edit."""
    from linkwriter.core.incremental import IncrementalExtractor

    rnd = random.Random(seed)
    pages = PAGES if with_pages else {}
    extractor, reanalyzer = IncrementalExtractor(), Reanalyzer()
    text = BASE + REFERENCE_USERS
    for _ in range(10):
        got = reanalyzer.analyze(extractor.update(text), Config(), pages)
        assert fingerprint(got) == fingerprint(fresh(text, Config(), pages)), text
        pos = rnd.randrange(len(text) + 1)
        if rnd.random() < 0.3:
            text = text[:pos] + text[pos + rnd.randint(1, 12):]
        else:
            text = text[:pos] + rnd.choice(DEFINITION_SNIPPETS) + text[pos:]
    # No "the cache was used" check here: an edit can close the front matter far down and
    # make every later edit a front-matter change, which rightly empties the cache. The
    # tests above and below check reuse on fixed edits.


def test_post_wide_facts_reach_cached_links():
    """Edits far from a link that change what its verdict read: the title, a duplicate, an
    ignore-post marker, a config change, a page arriving."""
    reanalyzer = Reanalyzer()
    config = Config()
    steps = [
        (BASE, config, {}),
        (BASE.replace("Sourdough at home", "VPN deals"), config, {}),
        (BASE + "\nAgain [the starter guide](https://example.com/sourdough-starter-guide).\n",
         config, {}),
        (BASE + "\n<!-- linkwriter-ignore-post: no-lead-in -->\n", config, {}),
        (BASE, Config(ignore=["no-lead-in"]), {}),
        (BASE, config, PAGES),
        (BASE.replace("flour and water", "flour and rye"), config, PAGES),
    ]
    rules = []
    for text, cfg, pages in steps:
        got = reanalyzer.analyze(parse_post(text), cfg, pages)
        assert fingerprint(got) == fingerprint(fresh(text, cfg, pages))
        rules.append({f.rule for f in got})
    assert "duplicate-link" in rules[2] and "duplicate-link" not in rules[0]
    assert "no-lead-in" in rules[0] and "no-lead-in" not in rules[3] | rules[4]
    assert "off-topic-link" in rules[5]


def test_vocabulary_change_elsewhere_changes_suggestion_casing():
    """A lead-in proposal lower-cases a heading word only if the post writes it in lower case
    somewhere: adding that word far away must change the cached link's fixes too."""
    base = ("# Notes\n\n## Crumb Shots\n\n[Click here](https://example.com/crumb-photos).\n\n"
            "Other text about bread and ovens.\n")
    reanalyzer = Reanalyzer()
    config = Config()
    for text in (base, base + "\nI love every crumb shots day.\n", base):
        got = reanalyzer.analyze(parse_post(text), config, {})
        assert fingerprint(got) == fingerprint(fresh(text, config, {}))


def test_unchanged_links_are_reused_not_rejudged():
    text = BASE
    reanalyzer = Reanalyzer()
    reanalyzer.analyze(parse_post(text), Config(), {})
    misses = reanalyzer.misses
    text = text.replace("daily.", "daily!")
    reanalyzer.analyze(parse_post(text), Config(), {})
    assert reanalyzer.misses - misses == 1  # only the grinder link's paragraph changed


def test_neighbour_set_ids_stay_bounded_and_pruning_keeps_results(monkeypatch):
    """The ids of the link sets near each block persist across analyses (hashing each set
    once); they are pruned to those in use, and what comes back after pruning is judged
    right."""
    monkeypatch.setattr(reanalysis, "SIG_SLACK", 5)
    reanalyzer = Reanalyzer()
    texts = [BASE + f"\nSee [a](https://a.example.com/{i}) first.\n" for i in range(40)]
    for text in texts:
        reanalyzer.analyze(parse_post(text), Config(), {})
        assert len(reanalyzer._sig_ids) <= len(reanalyzer._sigs_used) * 5 // 4 + 5
    misses = reanalyzer.misses
    got = reanalyzer.analyze(parse_post(texts[0]), Config(), {})  # its set's id was pruned
    assert fingerprint(got) == fingerprint(fresh(texts[0], Config(), {}))
    assert reanalyzer.misses - misses == 1  # the changed link alone


def test_links_of_a_long_block_are_reused_after_an_edit_elsewhere():
    """Hundreds of reference definitions that an edit turned into one paragraph (a space
    typed before a definition's URL does it) must not be re-judged on every later keystroke."""
    block = "\n".join(f"[r{i}]: https://ref.example.com/oven/{i} x" for i in range(400))
    text = BASE + "\n" + block + "\n"
    assert len(block) > 8000
    reanalyzer = Reanalyzer()
    reanalyzer.analyze(parse_post(text), Config(), {})
    misses = reanalyzer.misses
    text = text.replace("daily.", "daily!")
    got = reanalyzer.analyze(parse_post(text), Config(), {})
    assert reanalyzer.misses - misses == 1
    assert fingerprint(got) == fingerprint(fresh(text, Config(), {}))


def test_a_changed_link_rejudges_only_the_neighbours_that_asked_about_it():
    """A provider looks at the links whose construct overlaps a link's sentence (links_near
    hands out two more before it, which none uses). Changing one link re-judges the links
    whose sentence holds it, not every link of its paragraph or the next. (Editing a
    paragraph's own text re-judges all its links: the block's text is part of the key; a
    reference link changes with its definition, elsewhere.)"""
    text = BASE + (
        "\nSee [a](https://a.example.com/x).\n\nOne [b](https://b.example.com/) here. Two "
        "[c](https://c.example.com/) and [c2][r2] there. Three "
        "[d](https://d.example.com/) now. Four [e](https://e.example.com/) at the end.\n\n"
        "[r2]: https://c2.example.com/x\n"
    )
    reanalyzer = Reanalyzer()
    reanalyzer.analyze(parse_post(text), Config(), {})
    for edit, rejudged in (("a.example.com/x", 1),  # a alone: b and c are not in its sentence
                           ("c2.example.com/x", 2)):  # c2, and c, whose sentence holds it
        misses = reanalyzer.misses
        text = text.replace(edit, edit[:-1] + "y")
        got = reanalyzer.analyze(parse_post(text), Config(), {})
        assert fingerprint(got) == fingerprint(fresh(text, Config(), {}))
        assert reanalyzer.misses - misses == rejudged, edit


def test_undoing_an_edit_that_changed_many_links_rejudges_none():
    """A space typed into the first of many reference definitions turns them all into
    paragraph text, and every link that used them into plain text. Deleting it a few
    analyses later must find the earlier findings again, not judge every link anew."""
    uses = "\n\n".join(f"Bake with [oven {i}][r{i}] at home, then rest the dough {i}."
                        for i in range(30))
    block = "\n".join(f"[r{i}]: https://ref.example.com/oven/{i}" for i in range(30))
    text = BASE + "\n" + uses + "\n\n" + block + "\n"
    broken = text.replace("oven/0\n", "oven /0\n")
    reanalyzer = Reanalyzer()
    reanalyzer.analyze(parse_post(text), Config(), {})
    for step in (broken, broken.replace("daily.", "daily!"), broken.replace("daily.", "daily?")):
        reanalyzer.analyze(parse_post(step), Config(), {})
    def references(t: str) -> int:
        return sum(link.ref_style is not None for link in parse_post(t).links)

    assert (references(text), references(broken)) == (31, 1)  # 30 + the [crumb] of BASE
    misses = reanalyzer.misses
    got = reanalyzer.analyze(parse_post(text), Config(), {})
    assert fingerprint(got) == fingerprint(fresh(text, Config(), {}))
    assert reanalyzer.misses == misses


def test_a_broken_definition_rejudges_no_link_whose_sentence_kept_its_text():
    """A broken definition turns each link that used it into plain text, which changes its
    paragraph's text. Links in other sentences of those paragraphs read only the paragraph's
    language (core.paragraph_reads) and their own sentence: they are not judged again."""
    uses = "\n\n".join(f"Bake [rye {i}][r{i}] at home. Then read [a starter guide]"
                        f"(https://example.com/starter/{i}) today." for i in range(30))
    block = "\n".join(f"[r{i}]: https://ref.example.com/oven/{i}" for i in range(30))
    text = BASE + "\n" + uses + "\n\n" + block + "\n"
    broken = text.replace("oven/0\n", "oven /0\n")
    reanalyzer = Reanalyzer()
    reanalyzer.analyze(parse_post(text), Config(), {})
    misses = reanalyzer.misses
    got = reanalyzer.analyze(parse_post(broken), Config(), {})
    assert fingerprint(got) == fingerprint(fresh(broken, Config(), {}))
    # The definitions, now one paragraph, hold 30 bare URLs: new links. The 30 starter
    # links are not (they were before paragraph reads: 60).
    assert reanalyzer.misses - misses == 30


def test_a_verdict_that_read_the_whole_paragraph_sees_it_change():
    """The affiliate rule reads the whole paragraph for a disclosure. A reference whose
    definition breaks shows its label as text: here "[ad]", a disclosure. The grinder
    link's finding must go although its sentence and its block's text are unchanged."""
    text = (BASE + "\nI use [this mill](https://www.amazon.com/dp/B07X?tag=mill-20) daily. "
            "More in [the deal][ad] below.\n\n[ad]: https://example.com/deal\n")
    broken = text.replace("example.com/deal", "example.com/ deal")

    def undisclosed(findings) -> list[int]:
        return [f.start for f in findings if f.rule == "affiliate-undisclosed"]

    reanalyzer = Reanalyzer()
    first = reanalyzer.analyze(parse_post(text), Config(), {})
    got = reanalyzer.analyze(parse_post(broken), Config(), {})
    assert fingerprint(got) == fingerprint(fresh(broken, Config(), {}))
    mill = text.index("[this mill]")
    assert mill in undisclosed(first) and mill not in undisclosed(got)
    again = reanalyzer.analyze(parse_post(text), Config(), {})
    assert fingerprint(again) == fingerprint(first)


def test_providers_read_the_paragraph_only_through_paragraph_reads():
    """Reanalysis reuses a verdict while what it noted of the paragraph holds; a provider
    reading LinkContext.paragraph directly would go unnoticed and keep stale findings."""
    allowed = {"extract.py", "paragraph_reads.py", "reanalysis.py", "model.py"}
    direct = set()
    for path in sorted((ROOT / "linkwriter" / "core").rglob("*.py")):
        if path.name in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef):
                direct |= {(path.name, func.name) for node in ast.walk(func)
                           if isinstance(node, ast.Attribute) and node.attr == "paragraph"}
    # link_language notes the language it derives; affiliate's _paragraph tests emptiness.
    assert direct == {("judge.py", "link_language"), ("affiliate.py", "_paragraph")}


def test_the_worker_collects_cycles_in_idle_time_not_in_an_analysis(monkeypatch):
    """The worker's periodic full collection (0.2 s on a 1 MB post) runs in the idle-time
    job, so no analysis waits for it; an analysis does it only when no idle-time job has
    come for twice as long."""
    import gc

    from linkwriter.gui import pipeline

    full: list[int] = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    monkeypatch.setattr(pipeline, "QUIET_GC", True)
    monkeypatch.setattr(pipeline, "_runs", pipeline.FULL_GC_EVERY - 1)
    gc.callbacks.append(watch)
    try:
        pipeline.build_result(1, BASE, Config(), None, "gc-doc")
        assert not full  # due, but left to the idle-time job
        pipeline.prepare("gc-doc")
        assert len(full) == 1 and pipeline._runs == 0
        monkeypatch.setattr(pipeline, "_runs", 2 * pipeline.FULL_GC_EVERY - 1)
        pipeline.build_result(2, BASE + "x", Config(), None, "gc-doc")
        assert len(full) == 2  # long overdue: done in the analysis
    finally:
        gc.callbacks.remove(watch)
        gc.unfreeze()


def test_editor_result_leaves_the_post_in_the_worker():
    """The GUI gets what it shows; the Post (links and their contexts: most of the bytes)
    stays behind and is fetched for the actions that need it."""
    import pickle

    from linkwriter.gui import pipeline

    result = build_result(7, BASE, Config(), None, "doc-post")
    data = pickle.dumps(result)
    assert b"LinkContext" not in data and b"\x8c\x04Link\x94" not in data
    assert result.link_count == len(parse_post(BASE).links) == len(result.link_urls)
    assert result.link_targets[0] == "https://example.com/sourdough-starter-guide"
    assert "https://img.example.com/1.jpg" in result.head_only
    kept = pipeline.stored_post("doc-post", 7)
    assert kept is not None and kept.links == parse_post(BASE).links
    assert pipeline.stored_post("doc-post", 6) is None


def test_worker_keeps_a_few_posts_per_document():
    """Each kept Post of a big post costs megabytes: a few revisions per document, and one
    busy document does not push out another's."""
    from linkwriter.gui import pipeline

    build_result(1, BASE, Config(), None, "doc-quiet")
    for revision in range(1, 8):
        build_result(revision, BASE + "x" * revision, Config(), None, "doc-busy")
    kept = [r for r in range(1, 8) if pipeline.stored_post("doc-busy", r) is not None]
    assert kept == list(range(8 - pipeline.POSTS_PER_DOC, 8))
    assert pipeline.stored_post("doc-quiet", 1) is not None


def test_worker_keeps_the_post_the_window_shows():
    """While the writer types on, newer analyses (some finished after the window moved on)
    must not push out the Post of the result on screen: the window would parse the whole
    post itself to act on it (1.5 s of a stalled GUI on a 1 MB post, measured)."""
    from linkwriter.gui import pipeline

    build_result(1, BASE, Config(), None, "doc-shown")
    for revision in range(2, 9):
        build_result(revision, BASE + "x" * revision, Config(), None, "doc-shown", 0, 1)
    kept = [r for r in range(1, 9) if pipeline.stored_post("doc-shown", r) is not None]
    assert kept == [1, *range(10 - pipeline.POSTS_PER_DOC, 9)]
    assert pipeline.suggest_stored("doc-shown", 1, 0, Config()) is not None


def test_pipeline_reports_off_topic_link_from_a_loopback_page(tmp_path):
    config = Config(
        ignore=["local-address", "insecure-http"],
        network=NetworkConfig(allow_private=True, timeout=2.0, retry_wait=0.05,
                              host_interval=0.0, wayback=False, safe_browsing=False),
    )
    from linkwriter.core.net import NetworkChecker

    with serve(ROUTES) as server:
        text = SOURDOUGH.format(vpn=server.url("/vpn"), good=server.url("/starter"))
        with NetworkChecker(config, None) as checker:
            reports = checker.check([server.url("/vpn"), server.url("/starter")])
    for doc_id in (None, "doc-offtopic"):
        result = build_result(1, text, config, reports, doc_id)
        assert result.error is None
        off = [f for f in result.findings if f.rule == "off-topic-link"]
        assert [f.link_index for f in off] == [0], result.findings
        assert "Best VPN deals 2026" in off[0].message
    without = build_result(2, text, config, {}, "doc-offtopic")
    assert not [f for f in without.findings if f.rule == "off-topic-link"]


@pytest.mark.parametrize("name", ["linkwriter_entry.py", "linkwriter_gui_entry.py"])
def test_frozen_entry_scripts_call_freeze_support_first(name):
    """A frozen build spawns its analysis worker by re-running the executable; without
    freeze_support() before the app starts, that would open a second app."""
    tree = ast.parse((ROOT / "packaging" / "pyinstaller" / name).read_text(encoding="utf-8"))
    guard = [n for n in tree.body if isinstance(n, ast.If)]
    assert guard, "entry must run under `if __name__ == '__main__':`"
    calls = [ast.unparse(n) for n in guard[0].body]
    assert calls[0] == "multiprocessing.freeze_support()"
    assert "main()" in calls[-1]


@settings(max_examples=60, deadline=None)
@given(bodies=st.lists(st.text(alphabet="ab Cd,\n\r'-é.", max_size=60), min_size=1, max_size=6))
def test_block_vocabulary_equals_whole_body_vocabulary(bodies):
    """Vocabulary, kept up to date block by block, answers exactly like body_vocabulary."""
    from linkwriter.core.suggest.slots import Vocabulary, body_vocabulary

    vocab = Vocabulary()
    for body in bodies:
        vocab.update(body)
        lower, names = body_vocabulary(body)
        words = set(lower) | set(names) | set(body.replace(",", " ").split()) | {"ab", "Cd"}
        for w in words:
            assert vocab.is_lower(w) == (w in lower)
            assert vocab.is_name(w) == (w in names)


def test_worker_warm_up_compiles_the_bare_url_patterns():
    """linkify-it compiles its big patterns on first use (~100 ms): the warm-up must pay it,
    not the writer's first odd edit."""
    import re

    from linkwriter.gui.pipeline import warm_up

    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        pytest.skip("this Python keeps its pattern cache elsewhere")
    re.purge()
    warm_up()
    before = set(cache)
    build_result(1, "Typed into a definition: [r1]: htyke pnbvcyrstps://re x.\n", Config())
    assert set(cache) <= before
    # They must stay compiled while the app goes on to use many other patterns.
    for i in range(700):
        re.match(f"warm{i}x", "")
    assert before <= set(cache)
