"""What one analysis hands the window (made in the worker, pipeline.build_result).

Its own small module so the GUI process can receive results without importing the worker's
modules (the parser, the rules, relevance): those stay in the worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linkwriter.core.model import Finding
from linkwriter.core.offsets import Utf16Map
from linkwriter.core.post import Post

VERDICTS = ("ok", "unchecked", "info", "warning", "error")


@dataclass
class AnalysisResult:
    revision: int
    text: str
    findings: list[Finding]
    verdicts: list[str]  # per link, one of VERDICTS
    link_spans: list[tuple[int, int, int]]  # (utf16 start, utf16 end, link index)
    utf16: Utf16Map
    elapsed_ms: float = 0.0
    error: str | None = None
    by_link: dict[int, list[Finding]] = field(default_factory=dict)
    network_done: bool = True
    # Per finding, what the warnings panel shows: (row key, link label, line). Made here so
    # the GUI thread only copies it into the model.
    rows: list[tuple[str, str, int]] = field(default_factory=list)
    doc_id: str | None = None
    # Per link, what the editor shows without the Post: the URL as written, where it goes
    # (href, else url) and the anchor text.
    link_urls: list[str] = field(default_factory=list)
    link_targets: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    word_count: int = 0
    # What the network checker should fetch for this text (core.net.urls_for_post, image_urls).
    check_urls: list[str] = field(default_factory=list)
    head_only: set[str] = field(default_factory=set)
    # The Post, once fetched in the GUI process (analysis.fetch_post); never sent.
    post_cache: Post | None = field(default=None, repr=False, compare=False)

    @property
    def link_count(self) -> int:
        return len(self.link_spans)

    def __getstate__(self) -> dict[str, Any]:
        # The text goes back to the process that sent it, and the Analyzer there puts it back
        # (Analyzer._relay): a 1 MB post need not cross the pipe twice per analysis.
        return {**self.__dict__, "text": None, "post_cache": None}

    def to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.utf16.to_utf16(start), self.utf16.to_utf16(end)
