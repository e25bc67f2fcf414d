"""Typing latency of the real editor widget (offscreen): is the app smooth on big posts?

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/typing.py [--sizes 30k,1m] [--keys 300]
       [--at-end]   (type at the end of paragraphs, as when writing on, instead of anywhere)
       [--gap-ms 35] (pause between keystrokes: 35 is a very fast typist; at 150 an analysis
                     starts between keys, and the one for the final text must overtake it)
       [--bursts]   (also list each burst: its freshness, its analysis, the line it typed into)

For each post size (run in its own process so peak memory is per size) it prints:
- keystroke handling time (key event to an idle event loop): p50 / p95 / p99 / max, ms
- warnings fresh: delay from the last keystroke of a burst until the analysis of the final
  text is on screen, ms (median and max over bursts)
- first paint: from creating the window to the editor's first paint with the post, s
- peak memory (max RSS of the app's process), MB; and, apart, of the analysis worker process
  (it holds the parse and verdict caches that make re-analysis fast), and the sum of both
- longest event-loop stall seen while typing and analysing, ms

Goals (issue 3): keystroke p99 <= 4 ms (30 KB) and <= 10 ms (1 MB); warnings fresh
<= 150 ms (30 KB) and <= 500 ms (1 MB); first paint <= 0.6 s; memory <= 150 MB.
"""

from __future__ import annotations

import importlib
import os
import sys

# This file is named typing.py: keep its folder off sys.path so `import typing` is the stdlib's.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
if __name__ == "typing":
    # Another script in benchmarks/ ran with this folder first on sys.path and its
    # `import typing` landed here: hand it the standard library's module instead.
    del sys.modules["typing"]
    sys.modules["typing"] = importlib.import_module("typing")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["sourdough", "starter", "flour", "water", "hydration", "crumb", "oven", "loaf", "bake",
         "proof", "rye", "wheat", "salt", "dough", "fold", "shape", "score", "steam", "crust",
         "temperature", "recipe", "notes", "guide"]
LINK_FORMS = (
    "[the {w} guide](https://example.com/{w}/{i})",
    "[{w} notes][ref{i}]",
    "<https://docs.example.org/{w}/{i}>",
    "https://www.example.net/{w}?id={i}",
    "[click here](http://bit.ly/{w}{i})",
    "![{w} photo](https://img.example.com/{i}.jpg)",
)


def make_post(size: int, links: int, seed: int = 1) -> str:
    """A post of about `size` characters holding exactly `links` links of every kind."""
    rnd = random.Random(seed)
    parts = ["---\ntitle: Benchmark post\n---\n\n# Benchmark post\n\n"]
    defs = []
    per_link = max(40, size // max(links, 1))
    n = 0
    length = len(parts[0])
    while n < links or length < size:
        para = []
        for _ in range(rnd.randint(2, 5)):
            words = " ".join(rnd.choice(WORDS) for _ in range(max(3, per_link // 7)))
            if n < links:
                form = LINK_FORMS[n % len(LINK_FORMS)]
                w = rnd.choice(WORDS)
                para.append(f"{words.capitalize()} {form.format(w=w, i=n)} and more.")
                if "[ref" in form:
                    defs.append(f"[ref{n}]: https://ref.example.com/{w}/{n}")
                n += 1
            else:
                para.append(words.capitalize() + ".")
        text = " ".join(para)
        if rnd.random() < 0.1:
            text = f"## {rnd.choice(WORDS).capitalize()} section\n\n{text}"
        if rnd.random() < 0.05:
            text += "\n\n```\ncode https://not-a-link.example.com\n```"
        parts.append(text + "\n\n")
        length += len(text) + 2
    return "".join(parts) + "\n".join(defs) + "\n"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def run_one(size: int, links: int, keys: int, at_end: bool = False,
            gap_ms: float = 35.0) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="lw-bench-"))
    os.environ["LINKWRITER_DATA_DIR"] = str(tmp / "data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    post = tmp / "post.md"
    post.write_text(make_post(size, links), encoding="utf-8")

    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from linkwriter.gui.app import configure_process, get_app
    from linkwriter.gui.mainwindow import MainWindow

    configure_process()
    app = get_app()

    class PaintWatch(QObject):
        first: float | None = None

        def eventFilter(self, obj, event):  # noqa: N802, ANN001
            if event.type() == QEvent.Type.Paint and self.first is None:
                self.first = time.perf_counter()
            return False

    t0 = time.perf_counter()
    win = MainWindow(offline=True)
    watch = PaintWatch()
    win.editor.viewport().installEventFilter(watch)
    win.open_path(post)
    win.resize(1280, 800)
    win.show()
    while watch.first is None and time.perf_counter() - t0 < 30:
        app.processEvents()
    first_paint = (watch.first or time.perf_counter()) - t0

    def spin_until(pred, timeout=60.0) -> float:
        start = time.perf_counter()
        while not pred() and time.perf_counter() - start < timeout:
            app.processEvents()
            time.sleep(0.0005)
        return time.perf_counter() - start

    spin_until(win.is_fresh)
    spin_until(lambda: False, timeout=0.1)  # typing starts on an idle window, as after each burst
    initial_analysis_ms = win.result.elapsed_ms if win.result else float("nan")

    # Longest gap between ticks of a 2 ms timer: how long the GUI thread was unavailable.
    stall = {"max": 0.0, "last": time.perf_counter()}

    def tick() -> None:
        now = time.perf_counter()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(2)

    rnd = random.Random(7)
    doc = win.editor.document()
    latencies: list[float] = []
    fresh: list[float] = []
    where: list[tuple[str, float]] = []  # each burst's line start, its analysis's time
    elapsed = QElapsedTimer()
    typed = 0
    while typed < keys:
        # A burst of typing at one place, then a pause long enough for the analysis.
        # Type into prose only: a stray letter on a fence or front-matter line would turn the
        # rest of the post into code and leave a different (link-free) document to measure.
        block = doc.findBlockByNumber(rnd.randrange(doc.blockCount()))
        while block.text()[:3] in ("```", "---", "+++") or not block.text().strip():
            block = doc.findBlockByNumber(rnd.randrange(doc.blockCount()))
        cursor = win.editor.textCursor()
        offset = rnd.randrange(max(1, block.length() - 1))  # drawn either way: same sequence
        cursor.setPosition(block.position() + (block.length() - 1 if at_end else offset))
        win.editor.setTextCursor(cursor)
        app.processEvents()
        burst = min(12, keys - typed)
        for n in range(burst):
            ch = rnd.choice("abcdefghijklmnopqrstuvwxyz    ")
            stall["last"] = time.perf_counter()
            elapsed.start()
            QTest.keyClick(win.editor, ch)
            app.processEvents()  # the highlighter and every slot the key triggered
            latencies.append(elapsed.nsecsElapsed() / 1e6)
            last_key = time.perf_counter()
            typed += 1
            if n < burst - 1:
                spin_until(lambda: False, timeout=gap_ms / 1000)  # 35: a fast typist
        # From the last keystroke: the pause after it counts, and may be all it takes.
        spin_until(win.is_fresh)
        fresh.append((time.perf_counter() - last_key) * 1000)
        where.append((block.text()[:24], win.result.elapsed_ms if win.result else 0.0))
        spin_until(lambda: False, timeout=0.1)
    timer.stop()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_kb = worker_peak_kb()
    result = {
        "size_kb": round(len(win.text().encode("utf-8")) / 1024),
        "links": win.result.link_count if win.result else 0,
        "keys": len(latencies),
        "key_p50_ms": round(percentile(latencies, 50), 2),
        "key_p95_ms": round(percentile(latencies, 95), 2),
        "key_p99_ms": round(percentile(latencies, 99), 2),
        "key_max_ms": round(max(latencies), 2),
        "fresh_median_ms": round(statistics.median(fresh), 1),
        "fresh_max_ms": round(max(fresh), 1),
        "bursts": [(round(f, 1), round(a, 1), w)
                   for f, (w, a) in zip(fresh, where, strict=True)],
        "analysis_ms": round(initial_analysis_ms, 1),
        "first_paint_s": round(first_paint, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "worker_peak_rss_mb": round(worker_kb / 1024, 1),
        "longest_stall_ms": round(stall["max"] * 1000, 1),
        "code": str(Path(sys.modules["linkwriter"].__file__).parent.parent),
    }
    win.editor.document().setModified(False)
    win.close()
    QApplication.processEvents()
    return result


def worker_peak_kb() -> int:
    """Peak RSS of the analysis worker process (Linux: VmHWM), 0 where it can't be read."""
    from linkwriter.gui import analysis

    pids = list((getattr(analysis._EXECUTOR, "_processes", None) or {}).keys())
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak


SIZES = {"30k": (30_000, 150), "1m": (1_000_000, 5000)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30k,1m")
    parser.add_argument("--keys", type=int, default=240)
    parser.add_argument("--at-end", action="store_true",
                        help="type at the end of paragraphs (writing on) instead of anywhere")
    parser.add_argument("--gap-ms", type=float, default=35.0,
                        help="pause between keystrokes, ms (default 35: a fast typist)")
    parser.add_argument("--bursts", action="store_true",
                        help="also list each burst's freshness and where it typed, slowest first")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, links = SIZES[args.one]
        print(json.dumps(run_one(size, links, args.keys, args.at_end, args.gap_ms)), flush=True)
        from linkwriter.gui.analysis import shutdown_executor

        shutdown_executor(wait=True)  # the worker must not keep our stdout pipe open
        os._exit(0)  # skip interpreter teardown of Qt objects: only the figures matter here
    for name in args.sizes.split(","):
        extra = (["--at-end"] if args.at_end else []) + ["--gap-ms", str(args.gap_ms)]
        proc = subprocess.run([sys.executable, __file__, "--one", name, "--keys", str(args.keys),
                               *extra],
                              capture_output=True, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        if proc.returncode != 0:
            print(f"{name}: failed\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        # Which checkout ran: an installed package can shadow the one beside this script.
        print(f"{name}: {r['size_kb']} KB, {r['links']} links, {r['keys']} keystrokes "
              f"(code in {r['code']})")
        print(f"  keystroke  p50 {r['key_p50_ms']} ms  p95 {r['key_p95_ms']} ms  "
              f"p99 {r['key_p99_ms']} ms  max {r['key_max_ms']} ms")
        print(f"  warnings fresh after typing stops: median {r['fresh_median_ms']} ms, "
              f"max {r['fresh_max_ms']} ms (one analysis: {r['analysis_ms']} ms)")
        if args.bursts:
            for f, a, w in sorted(r["bursts"], reverse=True):
                print(f"    fresh {f:6.1f} ms  (its analysis {a:6.1f} ms)  typed into: {w!r}")
        both = round(r["peak_rss_mb"] + r["worker_peak_rss_mb"], 1)
        print(f"  first paint {r['first_paint_s']} s   peak memory {r['peak_rss_mb']} MB "
              f"(analysis worker process: {r['worker_peak_rss_mb']} MB; sum of the two peaks: "
              f"{both} MB)   longest event-loop stall {r['longest_stall_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
