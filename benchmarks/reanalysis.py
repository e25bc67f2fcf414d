"""Re-analysis cost after a small edit: does build_result scale with the edit or the post?

Usage: python benchmarks/reanalysis.py [--sizes 30k,1m] [--edits 40]

For each post size (benchmarks/typing.py's make_post) it prints the CPU time of build_result
(the worker's whole job: parse, rules, suggestions, relevance, settle, UTF-16 spans, verdicts)
for a first, full analysis and then after each of many one-character edits typed into prose at
random places, as the app sends them (same doc_id, so the worker may reuse what it knows).
Then the costliest edit the typing benchmark meets: a space typed into the URL of a reference
definition a third of the way through the post's definitions (it ends that definition and
every one after it), a letter after it, and deleting both again (an undo).
As in the app, the worker's idle-time job (pipeline.prepare) runs after each analysis; its CPU
time is reported apart (--no-prepare leaves it out).
By default the collector behaves as in the app's worker process (see pipeline.QUIET_GC).
CPU time (time.process_time) is reported because wall time is noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkwriter.core.config import Config  # noqa: E402
from linkwriter.gui import pipeline  # noqa: E402
from linkwriter.gui.pipeline import build_result  # noqa: E402


def _make_post():  # benchmarks/typing.py shadows the stdlib's name: load it by path
    path = ROOT / "benchmarks" / "typing.py"
    spec = importlib.util.spec_from_file_location("lw_typing_bench", path)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod.make_post


SIZES = {"30k": (30_000, 150), "1m": (1_000_000, 5000)}


def prose_positions(text: str) -> list[int]:
    """Offsets at the start of prose lines (not fences, front matter, definitions, headings)."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if s and not s.startswith(("```", "---", "#", "[ref", "code ")):
            out.append(pos)
        pos += len(line)
    return out


def measure(name: str, edits: int, seed: int = 3, ahead: bool = True) -> dict[str, float]:
    size, links = SIZES[name]
    text = _make_post()(size, links)
    config = Config()
    rnd = random.Random(seed)
    starts = prose_positions(text)
    doc = f"bench-{name}"
    c0, w0 = time.process_time(), time.perf_counter()
    build_result(0, text, config, None, doc)
    full_cpu, full_wall = time.process_time() - c0, time.perf_counter() - w0
    prepare_cpu: list[float] = []

    def idle() -> None:  # what the app's worker does while the writer pauses
        if ahead:
            c = time.process_time()
            pipeline.prepare(doc)
            prepare_cpu.append((time.process_time() - c) * 1000)

    idle()
    cpu: list[float] = []
    wall: list[float] = []
    for rev in range(1, edits + 1):
        line = rnd.choice(starts)
        pos = line + rnd.randrange(1, 30)
        text = text[:pos] + rnd.choice("abcdefghijklmnopqrstuvwxyz ") + text[pos:]
        starts = [s + 1 if s > pos else s for s in starts]
        c0, w0 = time.process_time(), time.perf_counter()
        build_result(rev, text, config, None, doc)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        idle()
    # A fresh, cold analysis of the final text (no doc_id): what every edit used to cost.
    c0 = time.process_time()
    build_result(0, text, config, None, None)
    cold_cpu = (time.process_time() - c0) * 1000
    definitions = [m.start() for m in re.finditer(r"^\[ref\d+\]: ", text, re.M)]
    at = text.index("://", definitions[len(definitions) // 3]) + 8
    steps = {"space": text[:at] + " " + text[at:], "letter": text[:at] + " x" + text[at:],
             "undo": text}
    def_cpu = {}
    for rev, (name, step) in enumerate(steps.items(), start=edits + 1):
        c0 = time.process_time()
        build_result(rev, step, config, None, doc)
        def_cpu[name] = (time.process_time() - c0) * 1000
        idle()
    return {
        "full_cpu_ms": full_cpu * 1000, "full_wall_ms": full_wall * 1000, "cold_cpu_ms": cold_cpu,
        "edit_cpu_median_ms": statistics.median(cpu), "edit_cpu_max_ms": max(cpu),
        "edit_wall_median_ms": statistics.median(wall), "edit_wall_max_ms": max(wall),
        "links": links, "definitions": len(definitions), "def_cpu": def_cpu,
        "prepare_first_ms": prepare_cpu[0] if prepare_cpu else 0.0,
        "prepare_max_later_ms": max(prepare_cpu[1:], default=0.0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30k,1m")
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--gc", choices=("worker", "default"), default="worker",
                        help="collector as in the app's worker process (paused during an "
                        "analysis, survivors frozen) or Python's default")
    parser.add_argument("--no-prepare", action="store_true",
                        help="skip the idle-time job the app runs after each analysis")
    args = parser.parse_args()
    pipeline.QUIET_GC = args.gc == "worker"
    print(f"collector: {args.gc}")
    for name in args.sizes.split(","):
        r = measure(name, args.edits, ahead=not args.no_prepare)
        print(f"{name} ({r['links']} links):")
        print(f"  first full analysis: {r['full_cpu_ms']:.0f} ms CPU ({r['full_wall_ms']:.0f} ms "
              f"wall); cold analysis without doc_id: {r['cold_cpu_ms']:.0f} ms CPU")
        print(f"  after a 1-char edit ({args.edits} edits): CPU median "
              f"{r['edit_cpu_median_ms']:.1f} ms, max {r['edit_cpu_max_ms']:.1f} ms; wall median "
              f"{r['edit_wall_median_ms']:.1f} ms, max {r['edit_wall_max_ms']:.1f} ms")
        d = r["def_cpu"]
        print(f"  a space in a reference definition's URL ({r['definitions']} definitions): CPU "
              f"{d['space']:.0f} ms; a letter after it {d['letter']:.0f} ms; "
              f"deleting both {d['undo']:.0f} ms")
        if not args.no_prepare:
            print(f"  idle-time job (pipeline.prepare): {r['prepare_first_ms']:.0f} ms CPU after "
                  f"the first analysis, at most {r['prepare_max_later_ms']:.1f} ms after an edit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
