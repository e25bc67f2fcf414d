"""What a link's verdict read of its paragraph.

core.reanalysis keeps each link's findings while what they were made from is unchanged. The
paragraph's plain text changes more often than what the verdicts read of it: when a
reference link nearby turns into plain text (its definition was broken), every other link
of the paragraph would be judged again although most verdicts read only the paragraph's
language, or nothing of it. Every read of `LinkContext.paragraph` by a provider goes through
here, so a verdict in the making notes what it read: the whole text, or a value derived from
it (its language), which reanalysis compares instead.
"""

from __future__ import annotations

import threading
from typing import Any

from linkwriter.core.model import LinkContext

__all__ = ["READS", "note", "paragraph_of"]


class _Reads(threading.local):
    """While `log` is a list, each read appends (kind, value): ("text", the paragraph) or a
    derived value such as ("lang", "en")."""

    log: list[tuple[str, Any]] | None = None


READS = _Reads()


def paragraph_of(context: LinkContext) -> str:
    """context.paragraph, noted as read in full."""
    log = READS.log
    if log is not None:
        log.append(("text", context.paragraph))
    return context.paragraph


def note(kind: str, value: Any) -> None:
    """Note a value derived from the paragraph, read instead of its text."""
    log = READS.log
    if log is not None:
        log.append((kind, value))
