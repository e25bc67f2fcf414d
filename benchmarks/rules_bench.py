"""Time the offline rules over a folder of posts (default: the shared nodeblog corpus).

Prints figures, asserts nothing: speed goals are read by people, not enforced by tests.
Usage: python benchmarks/rules_bench.py [FOLDER] [--repeat N]
"""

from __future__ import annotations

import os
import sys

# Run from a checkout: the repository root, not this folder, goes first on the path (a
# sibling benchmark here is named typing.py and would shadow the standard library).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
sys.path.insert(0, os.path.dirname(_HERE))

import argparse  # noqa: E402
import collections  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def default_corpus() -> Path:
    """../shared/corpus/nodeblog next to the checkout (or next to any folder above it)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "corpus" / "nodeblog"
        if candidate.is_dir():
            return candidate
    return Path("nodeblog")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=str(default_corpus()))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from linkwriter.core.config import Config
    from linkwriter.core.extract import parse_post

    files = sorted(Path(args.folder).glob("*.md"))
    if not files:
        raise SystemExit(f"no .md files in {args.folder}")
    posts = [parse_post(f.read_text(encoding="utf-8")) for f in files]
    links = sum(len(p.links) for p in posts)
    config = Config()

    # First run in this process: includes importing the rules, loading the Public Suffix List
    # and the bundled lists, and every per-host cache being cold; what one CLI run pays.
    wall, cpu = time.perf_counter(), time.process_time()
    from linkwriter.core.rules import check_post

    findings = [check_post(p, config) for p in posts]
    first = (time.perf_counter() - wall, time.process_time() - cpu)

    warm = []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for p in posts:
            check_post(p, config)
        warm.append((time.perf_counter() - wall, time.process_time() - cpu))
    best = min(warm, key=lambda x: x[1])

    counts = collections.Counter(f.rule for fs in findings for f in fs)
    print(f"{len(files)} posts, {links} links")
    print(f"rules, cold (first run, lists loaded): {first[0] * 1000:7.1f} ms wall "
          f"{first[1] * 1000:7.1f} ms cpu")
    print(f"rules, warm (best of {args.repeat}):          {best[0] * 1000:7.1f} ms wall "
          f"{best[1] * 1000:7.1f} ms cpu  ({best[1] / links * 1e6:.1f} us cpu per link)")
    print("findings:", ", ".join(f"{rule} {n}" for rule, n in counts.most_common()))


if __name__ == "__main__":
    main()
