"""How long suggestions take: per link, and `no-lead-in` findings for a whole long post, plus
the findings over the real-post corpus in /work/shared/corpus/nodeblog when it is there.

    python benchmarks/suggest_speed.py [N_LINKS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkwriter.core.config import Config  # noqa: E402
from linkwriter.core.extract import parse_post  # noqa: E402
from linkwriter.core.suggest import suggest_for_link, suggestion_findings  # noqa: E402

PARAS = [
    "According to a [2023 survey](https://www.pewresearch.org/internet/2023/05/22/blogs/{n}), "
    "40% of adults read a blog each week.",
    "[Click here](https://example.com/guides/sourdough-starter-basics-{n}).",
    "I use [this grinder](https://www.amazon.com/dp/B07BQ1ZL6S?tag=coffeeblog-20&n={n}) daily.",
    "See the [Django docs](https://docs.djangoproject.com/en/5.0/ref/settings/#{n}) and "
    "[this](https://github.com/sharkdp/fd?{n}).",
    "Critics [disagree](https://www.economist.com/finance/2023/02/23/four-day-week-{n}) with it.",
]


def main() -> int:
    n_links = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    paras, n = [], 0
    while n < n_links:
        p = PARAS[len(paras) % len(PARAS)]
        paras.append(p.format(n=len(paras)))
        n += p.count("](")
    text = "# Benchmark post\n\n" + "\n\n".join(paras) + "\n"
    post = parse_post(text)
    config = Config()
    suggest_for_link(post, 0, config, use_ai=False)  # warm the template cache
    t0 = time.perf_counter()
    total = sum(len(suggest_for_link(post, i, config, use_ai=False).suggestions)
                for i in range(len(post.links)))
    per_link = (time.perf_counter() - t0) / len(post.links)
    t1 = time.perf_counter()
    findings = suggestion_findings(post, config)
    whole = time.perf_counter() - t1
    print(f"links: {len(post.links)}, suggestions: {total} "
          f"({total / len(post.links):.1f} per link)")
    print(f"suggest_for_link: {per_link * 1000:.2f} ms per link")
    print(f"suggestion_findings (whole post): {whole * 1000:.0f} ms, {len(findings)} no-lead-in")
    corpus = Path("/work/shared/corpus/nodeblog")
    if corpus.is_dir():
        from collections import Counter

        posts = [parse_post(p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.md"))]
        n = sum(len(p.links) for p in posts)
        t2 = time.perf_counter()
        found = [f for p in posts for f in suggestion_findings(p, config)]
        spent = time.perf_counter() - t2
        reasons = Counter(f.data["reason"] for f in found)
        print(f"corpus: {len(posts)} posts, {n} links, {len(found)} no-lead-in "
              f"({dict(reasons)}), {spent:.1f} s ({spent / n * 1000:.2f} ms per link)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
