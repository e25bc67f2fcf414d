"""Background term weights: common words weigh little, rare words a lot.

The list ships in resources/relevance/background-en.tsv (see its header and
tools/build_relevance_background.py for where it comes from). Other languages have no list:
their stop words are removed and every remaining term gets full weight.
"""

from __future__ import annotations

import math
from functools import cache

from linkwriter.core.resources import resource_path

FLOOR = 0.2  # even the most common content word still counts a little


@cache
def _background() -> tuple[int, dict[str, int]]:
    n_docs = 1
    df: dict[str, int] = {}
    path = resource_path("relevance", "background-en.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#docs\t"):
            n_docs = int(line.split("\t", 1)[1])
        elif line and not line.startswith("#"):
            term, _, count = line.partition("\t")
            df[term] = int(count)
    return n_docs, df


@cache
def _weights() -> dict[str, float]:
    """Every listed stem's weight, computed once: scoring looks weights up thousands of times."""
    n_docs, df = _background()
    scale = math.log(n_docs + 1)
    out = {}
    for stem, count in df.items():
        idf = math.log((n_docs + 1) / (count + 1)) / scale
        out[stem] = FLOOR + (1.0 - FLOOR) * max(0.0, min(1.0, idf))
    return out


_NO_WEIGHTS: dict[str, float] = {}


def background_weights(lang: str) -> dict[str, float]:
    """stem -> weight for `lang`; unlisted stems weigh 1.0 (what term_weight returns), so hot
    loops can call `.get(stem, 1.0)` on it directly."""
    return _weights() if lang == "en" else _NO_WEIGHTS


def term_weight(stem: str, lang: str = "en") -> float:
    """Inverse document frequency mapped to [FLOOR, 1]; unknown or non-English terms get 1."""
    if lang != "en":
        return 1.0
    return _weights().get(stem, 1.0)
