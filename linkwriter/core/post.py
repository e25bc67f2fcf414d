"""A parsed post: the links plus what rules and the GUI need around them."""

from __future__ import annotations

from dataclasses import dataclass, field

from linkwriter.core.model import Link


@dataclass(frozen=True, slots=True)
class RefDefinition:
    """A reference definition "[label]: url "title"" with its exact span."""

    label: str  # as written
    url: str
    href: str
    title: str | None
    start: int
    end: int  # end of the definition (excluding the trailing newline)
    dest_start: int
    dest_end: int
    line: int
    used: bool


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class IgnoreMarker:
    """`<!-- linkwriter-ignore: rule-a, rule-b -->`: silences those rules on the next link.

    An empty rule list silences every rule on that link.
    """

    rules: tuple[str, ...]
    start: int
    end: int
    link_index: int | None  # the link it applies to, if any follows


@dataclass(slots=True)
class Post:
    text: str
    links: list[Link] = field(default_factory=list)
    definitions: list[RefDefinition] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    ignore_markers: list[IgnoreMarker] = field(default_factory=list)
    title: str = ""
    front_matter: dict[str, str] = field(default_factory=dict)
    body_start: int = 0  # offset where the body starts (after front matter)
    word_count: int = 0  # words of prose in the body (no code, no URLs)
