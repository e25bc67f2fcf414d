"""Intent classification accuracy on the labelled set (tests/data/intents.tsv).

Prints accuracy for the dev split (cues were tuned while looking at it), the held-out split
(written with the dev split, never tuned on), real-dev (sentences sampled from real blog posts,
labelled blind; measured once at 40.5% before cues were added for it) and real-heldout (a second
blind real sample, never tuned on) separately, plus a confusion summary. Usage:
    python benchmarks/intents.py [--errors dev|heldout|all]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from suggest_support import make_post  # noqa: E402

from linkwriter.core.config import Config  # noqa: E402
from linkwriter.core.suggest import classify_link  # noqa: E402

DATA = ROOT / "tests" / "data" / "intents.tsv"


def benchmark_config() -> Config:
    config = Config()
    config.partners = ["acmehosting.com", "brightfonts.io"]
    config.extra["suggestions"] = {"site": "myblog.example"}
    return config


def load_cases(path: Path = DATA) -> list[dict]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        page = json.loads(cols[3]) if len(cols) > 3 and cols[3].strip() else None
        cases.append(
            {"line": n, "split": cols[0], "intent": cols[1], "text": cols[2], "page": page}
        )
    return cases


def predict(case: dict, config: Config) -> tuple[str, list[str]]:
    post = make_post(case["text"] + "\n")
    if len(post.links) != 1:
        raise SystemExit(f"{DATA}:{case['line']}: expected one link, parsed {len(post.links)}")
    pages = {post.links[0].url: case["page"]} if case["page"] else None
    result = classify_link(post, 0, config, pages)
    return result.intent.value, [str(c) for c in result.cues[:4]]


def main() -> int:
    parser = argparse.ArgumentParser()
    splits = ("none", "dev", "heldout", "real-dev", "real-heldout", "all")
    parser.add_argument("--errors", choices=splits, default="none")
    args = parser.parse_args()
    config = benchmark_config()
    cases = load_cases()
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for case in cases:
        got, cues = predict(case, config)
        totals[case["split"]] += 1
        if got == case["intent"]:
            right[case["split"]] += 1
        else:
            confusion[(case["intent"], got)] += 1
            if args.errors in (case["split"], "all"):
                print(f"[{case['split']}] want {case['intent']}, got {got}: {case['text']}")
                print("        " + "; ".join(cues))
    labels = {c["intent"] for c in cases}
    print(f"labelled links: {len(cases)} across {len(labels)} intents")
    for split in ("dev", "heldout", "real-dev", "real-heldout"):
        n, ok = totals[split], right[split]
        print(f"{split:12s} accuracy: {ok}/{n} = {ok / n:.1%}" if n else f"{split}: no cases")
    all_n, all_ok = sum(totals.values()), sum(right.values())
    print(f"overall      accuracy: {all_ok}/{all_n} = {all_ok / all_n:.1%}")
    if confusion:
        print("most common confusions (want -> got):")
        for (want, got), count in confusion.most_common(6):
            print(f"  {want} -> {got}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
