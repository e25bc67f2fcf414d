"""Benchmark link extraction (prints figures; not a test).

1. Whole nodeblog corpus: parse_post vs markdown-it-py's plain "commonmark" preset parse,
   CPU time, interleaved rounds (alternating which side goes first); the ratio's median and
   spread over the rounds, and min(ours)/min(theirs).
2. Incremental: one-character edits at 5%, 10%, ... 95% of a ~1 MB document,
   IncrementalExtractor.update(), with LF and with CRLF line endings: p50 and max CPU ms.

Usage: python benchmarks/extract.py [--rounds N] [--passes N] [--only corpus|incremental]
The machine is shared: judge by CPU time, and re-run when the load is high.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from markdown_it import MarkdownIt  # noqa: E402

from linkwriter.core.extract import parse_post  # noqa: E402


def find_corpus() -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "corpus" / "nodeblog"
        if candidate.is_dir():
            return candidate
    sys.exit("shared/corpus/nodeblog not found beside the repository")


def cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def load() -> str:
    try:
        a, b, c = os.getloadavg()
        return f"load average {a:.2f} {b:.2f} {c:.2f}"
    except OSError:
        return "load average unknown"


def corpus_figures(rounds: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(find_corpus().glob("*.md"))]
    size = sum(len(t) for t in texts)
    md = MarkdownIt("commonmark")
    md.parse(texts[0])
    parse_post(texts[0])  # warm up (parser built, patterns compiled)

    # Each post is parsed and its result dropped, as a caller checking posts one by one.
    def theirs() -> None:
        for t in texts:
            md.parse(t)

    def ours() -> None:
        for t in texts:
            parse_post(t)

    bases, mine, ratios = [], [], []
    for r in range(rounds):
        if r % 2:
            o = cpu(ours)
            b = cpu(theirs)
        else:
            b = cpu(theirs)
            o = cpu(ours)
        bases.append(b)
        mine.append(o)
        ratios.append(o / b)
    links = sum(len(parse_post(t).links) for t in texts)
    q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    print(f"corpus: {len(texts)} posts, {size / 1e6:.2f} M chars, {links} links; "
          f"{rounds} interleaved rounds, CPU time")
    print(f"  markdown-it-py commonmark parse: min {min(bases) * 1000:7.0f} ms, "
          f"median {statistics.median(bases) * 1000:7.0f} ms")
    print(f"  parse_post (all links):          min {min(mine) * 1000:7.0f} ms, "
          f"median {statistics.median(mine) * 1000:7.0f} ms")
    print(f"  ratio per round: median {statistics.median(ratios):.3f}x, "
          f"quartiles {q[0]:.3f}-{q[2]:.3f}, range {min(ratios):.3f}-{max(ratios):.3f}; "
          f"min/min {min(mine) / min(bases):.3f}x (goal <= 1.5x)")


def big_document() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(find_corpus().glob("*.md"))]
    doc = ""
    for t in texts:  # whole posts, up to 1 MB
        if len(doc) + len(t) + 2 > 1_000_000:
            continue
        doc += t + "\n\n"
    return doc


def incremental_figures(passes: int) -> None:
    from linkwriter.core.incremental import IncrementalExtractor

    lf = big_document()
    for name, doc in (("LF", lf), ("CRLF", lf.replace("\n", "\r\n"))):
        ext = IncrementalExtractor()
        t0 = time.process_time()
        post = ext.update(doc)
        full = time.process_time() - t0
        fracs = [k / 20 for k in range(1, 20)]
        by_frac: dict[float, list[float]] = {f: [] for f in fracs}
        walls, reparsed = [], []
        for _ in range(passes):
            for frac in fracs:
                at = doc.find(" ", int(len(doc) * frac))
                doc = doc[:at] + "x" + doc[at:]
                c0, w0 = time.process_time(), time.perf_counter()
                ext.update(doc)
                by_frac[frac].append((time.process_time() - c0) * 1000)
                walls.append((time.perf_counter() - w0) * 1000)
                reparsed.append(ext.last_reparsed)
        every = [ms for f in fracs for ms in by_frac[f]]
        print(f"incremental {name}: document {len(doc) / 1e6:.2f} M chars, "
              f"{len(post.links)} links, first (full) parse {full * 1000:.0f} ms CPU")
        print(f"  one-character edits at 5%, 10%, ... 95%, {passes} passes (goal <= 30 ms): "
              f"CPU ms p50 {statistics.median(every):.1f}, max {max(every):.1f} "
              f"(max of per-position medians "
              f"{max(statistics.median(v) for v in by_frac.values()):.1f}); "
              f"wall p50 {statistics.median(walls):.1f}; "
              f"{min(reparsed)}-{max(reparsed)} top-level blocks re-parsed")
        print("   " + " ".join(f"{f:.0%}:{statistics.median(by_frac[f]):.1f}"
                             for f in fracs[::2]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=11, help="corpus rounds (default 11)")
    ap.add_argument("--passes", type=int, default=3, help="incremental passes (default 3)")
    ap.add_argument("--only", choices=("corpus", "incremental"))
    args = ap.parse_args()
    print(load())
    if args.only != "incremental":
        corpus_figures(args.rounds)
    if args.only != "corpus":
        incremental_figures(args.passes)
    print(load())


if __name__ == "__main__":
    main()
