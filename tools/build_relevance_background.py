"""Rebuild resources/relevance/background-en.tsv, the background document frequencies.

Why: term weighting needs to know which words are common in general, so "use" or "release"
weigh little and "sourdough" weighs a lot. No general corpus can be downloaded here, so the
list is derived from what the project may legitimately ship:

* document frequencies of stemmed English content words over the 239 Node.js blog posts in
  shared/corpus/nodeblog (MIT, Copyright Node.js Website WG contributors), capped at a quarter
  of the posts because that corpus is about one topic, and
* resources/relevance/common-en.txt, a hand-written list of very common English words and web
  page boilerplate, each given a document frequency of at least half the corpus.

Only stems seen in at least MIN_DF posts are written (rarer words get the maximum weight anyway),
which keeps the file small.

Usage: python tools/build_relevance_background.py [CORPUS_DIR]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkwriter.core.relevance.text import terms  # noqa: E402

MIN_DF = 4
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_URL = re.compile(r"\(?https?://\S+")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_HTML = re.compile(r"<[^>]+>")


def clean(markdown: str) -> str:
    text = _FRONT.sub("", markdown)
    text = _FENCE.sub(" ", text)
    text = _URL.sub(" ", text)
    return _HTML.sub(" ", text)


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else ROOT.parent.parent / "shared/corpus/nodeblog"
    if not corpus.is_dir():
        corpus = Path("/work/shared/corpus/nodeblog")
    files = sorted(corpus.glob("*.md"))
    df: Counter[str] = Counter()
    for path in files:
        df.update(set(terms(clean(path.read_text(encoding="utf-8")))))
    n_docs = len(files)
    # The corpus is about Node.js: cap its frequencies at a quarter of the posts so that its own
    # topic words ("node", "release") still weigh something in posts about other things.
    df = Counter({t: min(c, n_docs // 4) for t, c in df.items()})
    common = ROOT / "resources/relevance/common-en.txt"
    for line in common.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            for term in terms(line):
                df[term] = max(df[term], n_docs // 2)
    out = ROOT / "resources/relevance/background-en.tsv"
    rows = sorted(((t, c) for t, c in df.items() if c >= MIN_DF), key=lambda r: (-r[1], r[0]))
    with out.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Background document frequencies of stemmed English words (Snowball stems).\n"
            "# Source: derived by tools/build_relevance_background.py from the 239 Node.js blog\n"
            "# posts in shared/corpus/nodeblog (nodejs/nodejs.org; MIT, Copyright Node.js Website\n"
            "# WG contributors) plus resources/relevance/common-en.txt (hand-written, MIT).\n"
            "# Corpus frequencies are capped at a quarter of the posts; common-en.txt words\n"
            f"# get half. Only stems found in at least {MIN_DF} posts are listed. License: MIT.\n"
        )
        fh.write(f"#docs\t{n_docs}\n")
        for term, count in rows:
            fh.write(f"{term}\t{count}\n")
    print(f"{len(rows)} stems from {n_docs} posts -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
