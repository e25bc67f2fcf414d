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
    from linkwriter.core.incremental import IncrementalExtractor

    texts = [p.read_text(encoding="utf-8") for p in sorted(find_corpus().glob("*.md"))]
    doc = ""
    for t in texts:  # whole posts, up to 1 MB
        if len(doc) + len(t) + 2 > 1_000_000:
            continue
        doc += t + "\n\n"
    ext = IncrementalExtractor()
    t0 = time.process_time()
    post = ext.update(doc)
    full = time.process_time() - t0
    print(f"incremental: document {len(doc) / 1e6:.2f} M chars, {len(post.links)} links, "
          f"first (full) parse {full * 1000:.0f} ms CPU")
    rows = []
    for frac in [k / 20 for k in range(1, 20)]:
        at = doc.find(" ", int(len(doc) * frac))
        doc = doc[:at] + "x" + doc[at:]
        c0, w0 = time.process_time(), time.perf_counter()
        ext.update(doc)
        rows.append((frac, (time.process_time() - c0) * 1000,
                     (time.perf_counter() - w0) * 1000, ext.last_reparsed))
    cpu_ms = [r[1] for r in rows]
    print("  one-character edit at 5%, 10%, ... 95% of the document (goal <= 30 ms):")
    print(f"  CPU ms: median {statistics.median(cpu_ms):.1f}, min {min(cpu_ms):.1f}, "
          f"max {max(cpu_ms):.1f}; wall ms median {statistics.median(r[2] for r in rows):.1f}")
    for frac, c, w, n in rows[::3]:
        print(f"    at {frac:4.0%}: {c:6.1f} ms CPU, {w:6.1f} ms wall, "
              f"{n} top-level blocks re-parsed")


if __name__ == "__main__":
    corpus_figures()
    incremental_figures()
