"""Benchmark link extraction (prints figures; not a test).

1. Whole nodeblog corpus: parse_post vs markdown-it-py's plain "commonmark" preset parse.
2. Incremental: one-character edit in a ~1 MB document, IncrementalExtractor.update().
"""

from __future__ import annotations

import statistics
import sys
import time
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


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def corpus_figures() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(find_corpus().glob("*.md"))]
    size = sum(len(t) for t in texts)
    md = MarkdownIt("commonmark")
    parse_post(texts[0])  # warm up
    # CPU time, best of interleaved rounds: the machine is shared, wall time is noisy.
    bases, ours_ = [], []
    for _ in range(5):
        bases.append(cpu(lambda: [md.parse(t) for t in texts]))
        ours_.append(cpu(lambda: [parse_post(t) for t in texts]))
    base, ours = min(bases), min(ours_)
    links = sum(len(parse_post(t).links) for t in texts)
    print(f"corpus: {len(texts)} posts, {size / 1e6:.2f} M chars, {links} links")
    print(f"  markdown-it-py commonmark parse: {base * 1000:8.1f} ms")
    print(f"  parse_post (all links):          {ours * 1000:8.1f} ms  "
          f"ratio {ours / base:.2f}x (goal <= 1.5x)")


def incremental_figures() -> None:
    try:
        from linkwriter.core.incremental import IncrementalExtractor
    except ImportError:
        print("incremental: not available")
        return
    texts = [p.read_text(encoding="utf-8") for p in sorted(find_corpus().glob("*.md"))]
    doc = ""
    i = 0
    while len(doc) < 1_000_000:
        doc += texts[i % len(texts)] + "\n\n"
        i += 1
    ext = IncrementalExtractor()
    t0 = time.perf_counter()
    ext.update(doc)
    full = time.perf_counter() - t0
    times = []
    pos = len(doc) // 2
    for k in range(20):
        at = doc.find(" ", pos + k * 977)
        doc = doc[:at] + "x" + doc[at:]
        t0 = time.perf_counter()
        ext.update(doc)
        times.append(time.perf_counter() - t0)
    print(f"incremental: document {len(doc) / 1e6:.2f} M chars, full parse {full * 1000:.0f} ms")
    print(f"  one-character edit: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms (goal <= 30 ms)")


if __name__ == "__main__":
    corpus_figures()
    incremental_figures()
