"""Relevance benchmark: quality of `off-topic-link` on the labelled set, and speed.

1. Serves tests/data/relevance/pages from a loopback HTTP server, fetches every target page,
   extracts its metadata (page_info_from_html) and scores each case's link (the full pipeline).
   Prints precision, recall and F1 of `off-topic-link` for the dev topics, the held-out topics
   and all cases, plus a breakdown by hard-case kind and the mistakes.
2. Times scoring alone (page metadata cached) per link.
3. Judges the real links between nodeblog posts against the linked post (false alarms).
4. Scores every link of the nodeblog corpus against synthetic page metadata and prints the time.

Usage: python benchmarks/relevance.py [--verbose] [--corpus DIR] [--backend lexical|semantic]

`--backend semantic` needs `pip install 'linkwriter[semantic]'` (a venv with PyTorch); it
scores the evaluation set and times scoring, and runs the corpus pass on the first
`--corpus-links` links only (embedding every link and page of the corpus takes minutes).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import http.server
import random
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from relevance_evalset import PAGES, case_post, load_cases  # noqa: E402

from linkwriter.core.config import Config  # noqa: E402
from linkwriter.core.relevance import (  # noqa: E402
    PageInfo,
    get_backend,
    page_info_from_html,
    relevance_report,
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def make_config(backend: str) -> Config:
    config = Config()
    config.extra["relevance"] = {"backend": backend}
    return config


def evaluate(verbose: bool, backend: str) -> None:
    cases = load_cases()
    config = make_config(backend)
    server, base = serve(PAGES)
    session = requests.Session()
    pages: dict[str, PageInfo] = {}
    t0 = time.perf_counter()
    for page_id in sorted({c.page for c in cases}):
        url = f"{base}/{page_id}.html"
        resp = session.get(url, timeout=5)
        resp.encoding = "utf-8"
        pages[page_id] = page_info_from_html(
            resp.text, url, final_url=resp.url, status=resp.status_code,
            content_type=resp.headers.get("Content-Type", ""),
        )
    fetch_s = time.perf_counter() - t0
    server.shutdown()

    results = []
    t0 = time.perf_counter()
    for case in cases:
        url = pages[case.page].url
        post = case_post(case, url)
        report = relevance_report(post, {url: pages[case.page]}, config)
        flagged = any(f.rule == "off-topic-link" for f in report.findings)
        results.append((case, flagged, report.links[0], report.findings))
    pipeline_s = time.perf_counter() - t0

    print(f"Relevance evaluation ({backend} backend): {len(cases)} cases, {len(pages)} pages "
          f"fetched from loopback in {fetch_s * 1000:.0f} ms")
    print(f"{'split':<10} {'cases':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} "
          f"{'recall':>7} {'F1':>6}")
    for split in ("dev", "held-out", "all"):
        rows = [r for r in results if split == "all" or r[0].split == split]
        tp = sum(1 for c, f, *_ in rows if f and c.offtopic)
        fp = sum(1 for c, f, *_ in rows if f and not c.offtopic)
        fn = sum(1 for c, f, *_ in rows if not f and c.offtopic)
        p, r, f1 = prf(tp, fp, fn)
        print(f"{split:<10} {len(rows):>5} {tp:>4} {fp:>4} {fn:>4} {p:>10.3f} {r:>7.3f} {f1:>6.3f}")

    by_kind: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for case, flagged, *_ in results:
        by_kind[(case.label, case.kind)].append(flagged == case.offtopic)
    print("\nCorrect verdicts by hard-case kind (label/kind: correct/total):")
    print("  " + "; ".join(f"{lab}/{kind}: {sum(v)}/{len(v)}"
                           for (lab, kind), v in sorted(by_kind.items())))

    mistakes = [r for r in results if r[1] != r[0].offtopic]
    if mistakes:
        print("\nMistakes:")
        for case, flagged, link, _ in mistakes:
            what = "false alarm" if flagged else "missed"
            print(f"  {what:<11} {case.split:<8} {case.id:<42} {case.kind:<8} score={link.score} "
                  f"verdict={link.verdict} {link.reason}")
    if verbose:
        print("\nAll scores:")
        for case, _flagged, link, findings in results:
            print(f"  {case.label:<8} {case.kind:<8} {link.score!s:<7} {case.id:<42} "
                  f"shared={link.shared[:5]} missing={link.missing[:4]}")
            for f in findings:
                print(f"      {f.rule}: {f.message}")

    # Speed of scoring alone: pages already extracted, repeated over the whole set.
    posts = [(case_post(c, pages[c.page].url), {pages[c.page].url: pages[c.page]})
             for c in cases]
    rounds = 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        for post, page_map in posts:
            relevance_report(post, page_map, config)
    per_link = (time.perf_counter() - t0) / (rounds * len(posts))
    # Scoring one link against its cached page profile: what the editor pays per keystroke.
    from linkwriter.core.relevance.scoring import build_query, cached_profile, score

    prepared = []
    for post, page_map in posts:
        link = post.links[0]
        page = next(iter(page_map.values()))
        prepared.append((link, cached_profile(page, "en")))
    t0 = time.perf_counter()
    for _ in range(rounds):
        for link, profile in prepared:
            ctx = link.context
            query = build_query(anchor=link.text, sentence=ctx.sentence,
                                paragraph=ctx.paragraph, heading=ctx.heading)
            score(query, profile)
    per_score = (time.perf_counter() - t0) / (rounds * len(prepared))
    cached = "profile and embeddings cached" if backend == "semantic" else "profile cached"
    print(f"\nTime per link ({backend}), full pipeline after fetch (extracted page, first "
          f"profile{', first embeddings' if backend == 'semantic' else ''}): "
          f"{pipeline_s / len(cases) * 1000:.3f} ms")
    print(f"Time per link ({backend}), relevance_report per one-link post ({cached}), "
          f"{rounds} rounds: {per_link * 1000:.3f} ms")
    print(f"Time per link, lexical query + score against the cached page profile: "
          f"{per_score * 1000:.3f} ms")


_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


def _fallback_parse(text: str):
    """Crude link extraction, used only when linkwriter.core.extract is not available."""
    from linkwriter.core.model import Link, LinkContext, LinkKind
    from linkwriter.core.post import Post

    links = []
    offset = 0
    for para in text.split("\n\n"):
        para_start = offset
        offset += len(para) + 2
        for m in _MD_LINK.finditer(para):
            start = para_start + m.start()
            plain = _MD_LINK.sub(lambda x: x.group(1), para)
            sentence = next((s for s in re.split(r"(?<=[.!?])\s+", plain) if m.group(1) in s),
                            plain)
            links.append(Link(
                kind=LinkKind.INLINE, url=m.group(2), href=m.group(2), text=m.group(1),
                title=None, start=start, end=start + len(m.group(0)),
                dest_start=start + len(m.group(1)) + 3,
                dest_end=start + len(m.group(1)) + 3 + len(m.group(2)),
                label_start=start + 1, label_end=start + 1 + len(m.group(1)), line=1, column=1,
                context=LinkContext(sentence=sentence, paragraph=plain),
            ))
    title = re.search(r"^title:\s*['\"]?(.*?)['\"]?$", text, re.M)
    return Post(text=text, links=links, title=title.group(1) if title else "")


def corpus_speed(corpus: Path, backend: str = "lexical", max_links: int = 0) -> None:
    try:
        from linkwriter.core.extract import parse_post
    except ImportError:
        parse_post = _fallback_parse
        print("\n(linkwriter.core.extract not available: using a crude link extractor)")
    files = sorted(corpus.glob("*.md"))
    if not files:
        print(f"\nNo corpus at {corpus}; skipping the corpus timing.")
        return
    texts = [f.read_text(encoding="utf-8") for f in files]
    t0 = time.perf_counter()
    posts = [parse_post(t) for t in texts]
    parse_s = time.perf_counter() - t0
    # Synthetic page metadata: the anchor and URL words as title, a paragraph of another post
    # as text, so each page is on topic for some links and off topic for others.
    rng = random.Random(7)
    paragraphs = [p for t in texts for p in t.split("\n\n") if len(p.split()) > 30]
    pages_per_post = []
    for post in posts:
        pages = {}
        for link in post.links:
            url = link.href or link.url
            words = " ".join(re.findall(r"[A-Za-z]{3,}", url.split("//", 1)[-1]))
            pages[url] = PageInfo(
                url=url, title=f"{link.text} {words}"[:120],
                description=rng.choice(paragraphs)[:300],
                headings=(link.text,), text=rng.choice(paragraphs) + "\n" + rng.choice(paragraphs),
                content_type="text/html",
            )
        pages_per_post.append(pages)
    config = make_config(backend)
    if max_links:  # the first max_links links of the corpus, in file order
        kept, budget = [], max_links
        for post, pages, path in zip(posts, pages_per_post, files, strict=True):
            if budget <= 0:
                break
            kept.append((dataclasses.replace(post, links=post.links[:budget]), pages, path))
            budget -= len(post.links)
        posts, pages_per_post, files = (list(x) for x in zip(*kept, strict=True))
    n_links = sum(len(p.links) for p in posts)
    t0 = time.perf_counter()
    c0 = time.process_time()
    off = 0
    biggest = (0.0, 0, "")
    for post, pages, path in zip(posts, pages_per_post, files, strict=True):
        p0 = time.process_time()
        report = relevance_report(post, pages, config)
        biggest = max(biggest, (time.process_time() - p0, len(post.links), path.name))
        off += report.off_topic
    score_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    print(f"\nnodeblog corpus ({backend}): {len(posts)} posts, {n_links} links; "
          f"parse {parse_s:.2f} s; "
          f"relevance with synthetic page metadata (one new page profile per link): "
          f"{score_s:.2f} s wall, {cpu_s:.2f} s CPU "
          f"({cpu_s / max(n_links, 1) * 1000:.3f} ms CPU per link; {off} flagged off topic)")
    print(f"  slowest post: {biggest[2]} with {biggest[1]} links, {biggest[0]:.2f} s CPU")


def corpus_self_links(corpus: Path, backend: str = "lexical") -> None:
    """Real relevant links: nodeblog posts linking other nodeblog posts, judged against the
    linked post itself as page metadata. Every off-topic-link here is a false alarm."""
    from linkwriter.core.extract import parse_post
    from linkwriter.core.relevance.judge import _prose

    names = {p.stem for p in corpus.glob("*.md")}
    pattern = re.compile(r"nodejs\.org/(?:en/)?blog/([^/#?]+)/([^/#?]+?)/?(?:[#?].*)?$")
    judged = alarms = total = 0
    for path in sorted(corpus.glob("*.md")):
        post = parse_post(path.read_text(encoding="utf-8"))
        pages = {}
        for link in post.links:
            m = pattern.search(link.href)
            if m and f"{m.group(1)}__{m.group(2)}" in names:
                target = parse_post((corpus / f"{m.group(1)}__{m.group(2)}.md").read_text("utf-8"))
                pages[link.href] = PageInfo(
                    url=link.href, title=target.title,
                    headings=tuple(h.text for h in target.headings), text=_prose(target)[:16000],
                )
        if not pages:
            continue
        report = relevance_report(post, pages, make_config(backend))
        for lr in report.links:
            if lr.url in pages:
                total += 1
                judged += lr.verdict in ("on-topic", "off-topic")
                alarms += lr.verdict == "off-topic"
    print(f"\nnodeblog self-links (real, relevant): {total} links, {judged} judged, "
          f"{alarms} false off-topic alarms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every case's score")
    default_corpus = ROOT.parent.parent / "shared/corpus/nodeblog"
    parser.add_argument("--corpus", type=Path, default=default_corpus)
    parser.add_argument("--backend", choices=("lexical", "semantic"), default="lexical")
    parser.add_argument("--corpus-links", type=int, default=None,
                        help="score only the corpus's first N links (default: all for the "
                        "lexical backend, 300 for the semantic one)")
    args = parser.parse_args()
    if args.backend == "semantic":
        t0 = time.perf_counter()
        get_backend(make_config("semantic"))
        print(f"Semantic backend: model loaded in {time.perf_counter() - t0:.1f} s")
    evaluate(args.verbose, args.backend)
    corpus = args.corpus if args.corpus.is_dir() else Path("/work/shared/corpus/nodeblog")
    if corpus.is_dir():
        corpus_self_links(corpus, args.backend)
    max_links = args.corpus_links
    if max_links is None:
        max_links = 300 if args.backend == "semantic" else 0
    corpus_speed(corpus, args.backend, max_links)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
