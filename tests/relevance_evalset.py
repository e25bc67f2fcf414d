"""The labelled relevance evaluation set (tests/data/relevance), shared by tests and benchmark.

Each case is a one-paragraph post (topic title + paragraph) with one link to a target page and
a label: "relevant" or "offtopic". Topics are split into "dev" (used while tuning) and
"held-out" (never tuned on), so the benchmark can report both honestly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from linkwriter.core.model import Link, LinkContext, LinkKind
from linkwriter.core.post import Heading, Post

DATA = Path(__file__).resolve().parent / "data" / "relevance"
PAGES = DATA / "pages"
_LINK = re.compile(r"\[([^\]]+)\]\(PAGE\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])")


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
    """The case as a parsed post: '# title', blank line, the paragraph with its one link.

    Built by hand (exact offsets) so the evaluation does not depend on the Markdown parser.
    """
    head = f"# {case.title}\n\n"
    match = _LINK.search(case.paragraph)
    assert match, case.id
    body = case.paragraph[: match.start()] + f"[{match.group(1)}]({url})"
    body += case.paragraph[match.end() :]
    text = head + body + "\n"
    start = len(head) + match.start()
    label_start = start + 1
    label_end = label_start + len(match.group(1))
    dest_start = label_end + 2
    plain = case.paragraph[: match.start()] + match.group(1) + case.paragraph[match.end() :]
    anchor_at = match.start()
    sentence = plain
    offset = 0
    for piece in _SENTENCE_END.split(plain):
        if offset <= anchor_at < offset + len(piece) + 1:
            sentence = piece
            break
        offset += len(piece) + 1
    link = Link(
        kind=LinkKind.INLINE,
        url=url,
        href=url,
        text=match.group(1),
        title=None,
        start=start,
        end=dest_start + len(url) + 1,
        dest_start=dest_start,
        dest_end=dest_start + len(url),
        label_start=label_start,
        label_end=label_end,
        line=3,
        column=match.start() + 1,
        context=LinkContext(sentence=sentence, paragraph=plain, heading="", title=case.title),
    )
    assert text[link.label_start : link.label_end] == link.text
    assert text[link.dest_start : link.dest_end] == url
    return Post(
        text=text,
        links=[link],
        headings=[Heading(1, case.title, 0, len(head) - 2, 1)],
        title=case.title,
        word_count=len(plain.split()),
    )
