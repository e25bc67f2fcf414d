"""The one data model: text -> Link (exact spans) -> Finding -> Fix (an exact text edit).

The panel, the quick fixes, the CLI and the export all consume these objects, so they are
plain, immutable-ish dataclasses with no Qt in sight. Offsets are Python str indices (code
points) into the text exactly as read (newlines as in the file); the GUI converts them to
UTF-16 at its boundary with :mod:`linkwriter.core.offsets`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; lets callers pick the worst verdict of a link."""
        return _RANK[self]  # a str enum hashes as its value: no .value lookup, no new dict


_RANK = {"info": 1, "warning": 2, "error": 3}


class Category(str, Enum):
    TRUST = "trust"
    RELEVANCE = "relevance"
    STYLE = "style"
    CTA = "cta"


class LinkKind(str, Enum):
    INLINE = "inline"
    REFERENCE = "reference"
    AUTOLINK = "autolink"
    BARE = "bare"
    IMAGE = "image"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace text[start:end] with replacement. Exact, so it can be applied and undone."""

    title: str
    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, slots=True)
class LinkContext:
    """Plain-text surroundings used by relevance and suggestions."""

    sentence: str = ""
    paragraph: str = ""
    heading: str = ""
    title: str = ""
    # Offsets of the sentence within the source text (for lead-in edits); -1 if unknown.
    sentence_start: int = -1
    sentence_end: int = -1


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written in the post, with exact source positions.

    start/end cover the whole construct ("[text](url "title")", "<https://x>", the bare URL,
    the whole "<a ...>" opening tag for raw HTML). dest_* cover the destination as written
    (for references: the destination inside the definition). label_* cover the anchor text
    (alt text for images); for autolinks and bare URLs the label is the URL itself.
    """

    kind: LinkKind
    url: str  # destination as written in the source
    href: str  # as markdown-it-py renders it (normalizeLink)
    text: str  # anchor text as plain text (alt text for images)
    title: str | None
    start: int
    end: int
    dest_start: int
    dest_end: int
    label_start: int
    label_end: int
    line: int  # 1-based
    column: int  # 1-based, in code points
    context: LinkContext = field(default_factory=LinkContext)
    is_image: bool = False
    # Reference links: "full", "collapsed" or "shortcut", the label, and the definition span.
    ref_style: str | None = None
    ref_label: str | None = None
    def_start: int | None = None
    def_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "url": self.url,
            "href": self.href,
            "text": self.text,
            "title": self.title,
            "line": self.line,
            "column": self.column,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on one link (link_index set) or on the whole post (link_index None)."""

    rule: str
    category: Category
    severity: Severity
    message: str
    start: int
    end: int
    fixes: tuple[Fix, ...] = ()
    link_index: int | None = None
    # Evidence for the panel and JSON consumers (status codes, terms, scores, ...).
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category.value,
            "severity": self.severity.value,
            "message": self.message,
            "fixes": [f.to_dict() for f in self.fixes],
            "start": self.start,
            "end": self.end,
        }
        if self.data:
            out["data"] = self.data
        return out


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    worst: Severity | None = None
    for f in findings:
        if worst is None or f.severity.rank > worst.rank:
            worst = f.severity
    return worst


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """Apply non-overlapping fixes (later ones first so earlier offsets stay valid)."""
    out = text
    last_start = len(text) + 1
    for fix in sorted(fixes, key=lambda f: (f.start, f.end), reverse=True):
        if fix.end > last_start:
            continue  # overlaps a fix already applied; skip rather than corrupt the text
        out = fix.apply(out)
        last_start = fix.start
    return out


# -- fast construction ------------------------------------------------
# Links, contexts, headings and findings are made by the thousand: on every keystroke by the
# extractor, and after every pause in typing when the editor's worker sends them back. A frozen
# dataclass sets each field through object.__setattr__ (in __init__ and in its own unpickling);
# filling a plain object with the same slots and then re-classing it (same memory layout)
# costs about a third as much. The result is an ordinary frozen instance.


_CONSTRUCTORS: dict[type, Any] = {}


def slot_constructor(cls: type) -> Any:
    """make(*values) -> cls instance, every field given positionally in slot order."""
    made = _CONSTRUCTORS.get(cls)
    if made is not None:
        return made  # one per class: pickle checks that the function it names is this one
    names = cls.__slots__
    draft = type(f"_{cls.__name__}Draft", (), {"__slots__": names})
    assert draft.__basicsize__ == cls.__basicsize__  # type: ignore[attr-defined]
    args = ", ".join(names)
    comma = "," if len(names) == 1 else ""
    targets = ", ".join(f"o.{n}" for n in names) + comma
    scope = {"_new": object.__new__, "_Draft": draft, "_cls": cls}
    exec(  # noqa: S102 (generated from the class's own slot names)
        f"def make({args}):\n    o = _new(_Draft)\n    {targets} = {args}{comma}\n"
        f"    o.__class__ = _cls\n    return o\n", scope)
    make = scope["make"]
    make.__name__ = make.__qualname__ = f"_make_{cls.__name__}"
    make.__module__ = __name__
    globals()[make.__name__] = make  # pickle finds it by module and name
    _CONSTRUCTORS[cls] = make
    return make


def _reducer(cls: type) -> Any:
    make, values = slot_constructor(cls), attrgetter(*cls.__slots__)

    def __reduce__(self: Any) -> tuple:  # noqa: N807
        return make, values(self)

    return __reduce__


for _cls in (Fix, LinkContext, Link, Finding):
    _cls.__reduce__ = _reducer(_cls)  # type: ignore[method-assign]
