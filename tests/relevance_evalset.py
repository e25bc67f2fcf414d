"""The labelled relevance evaluation set (tests/data/relevance), shared by tests and benchmark.

Each case is a one-paragraph post (topic title + paragraph) with one link to a target page and
a label: "relevant" or "offtopic". Topics are split into "dev" (used while tuning) and
"held-out" (never tuned on), so the benchmark can report both honestly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from linkwriter.core.extract import parse_post
from linkwriter.core.post import Post

DATA = Path(__file__).resolve().parent / "data" / "relevance"
PAGES = DATA / "pages"
_LINK = re.compile(r"\[([^\]]+)\]\(PAGE\)")


@dataclass(frozen=True)
class Case:
    id: str
    topic: str
    split: str  # "dev" or "held-out"
    title: str  # the post's title
    paragraph: str  # Markdown with one [anchor](PAGE)
    page: str  # page id: PAGES / f"{page}.html"
    label: str  # "relevant" or "offtopic"
    kind: str  # plain, homonym, short, lang, generic, spam, cross, mismatch

    @property
    def anchor(self) -> str:
        match = _LINK.search(self.paragraph)
        assert match, self.id
        return match.group(1)

    @property
    def offtopic(self) -> bool:
        return self.label == "offtopic"


def load_cases() -> list[Case]:
    cases: list[Case] = []
    topics: dict[str, dict[str, str]] = {}
    topic = para = ""
    text = ""
    for path in sorted((DATA / "src").glob("cases-*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@@ topic "):
                topic = line[9:].strip()
                topics[topic] = {}
                para = ""
                continue
            if line.startswith("@@ para "):
                para = line[8:].strip()
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            if not para:
                topics[topic][key] = value
            elif key == "text":
                text = value
            elif key in ("relevant", "offtopic"):
                page, _, kind = value.partition(" ")
                label = "relevant" if key == "relevant" else "offtopic"
                cases.append(
                    Case(
                        id=f"{para}/{page}",
                        topic=topic,
                        split=topics[topic].get("split", "dev"),
                        title=topics[topic]["title"],
                        paragraph=text,
                        page=page,
                        label=label,
                        kind=kind.strip() or ("plain" if label == "relevant" else "cross"),
                    )
                )
    return cases


def case_post(case: Case, url: str) -> Post:
    """The case as a parsed post: '# title', blank line, the paragraph with its one link."""
    match = _LINK.search(case.paragraph)
    assert match, case.id
    body = case.paragraph[: match.start()] + f"[{match.group(1)}]({url})"
    body += case.paragraph[match.end() :]
    post = parse_post(f"# {case.title}\n\n{body}\n")
    assert len(post.links) == 1 and post.links[0].text == match.group(1), case.id
    return post
