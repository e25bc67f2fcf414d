"""Does a #fragment name a place on the target page? GitHub prefixes rendered ids with
'user-content-' while links keep the bare name, so both spellings count."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote

_GITHUB_PREFIX = "user-content-"


def fragment_checkable(fragment: str, host: str) -> bool:
    if not fragment or fragment == "top":
        return False
    if fragment.startswith(":~:"):  # text fragments are matched by the browser, not by ids
        return False
    if host.endswith("github.com") and fragment[:1] == "L" and fragment[1:2].isdigit():
        return False  # line anchors are made by script
    return not fragment.startswith("!")  # hash-bang routes are app state, not anchors


def fragment_found(fragment: str, anchors: Collection[str]) -> bool:
    candidates = {fragment, unquote(fragment)}
    for name in list(candidates):
        if name.startswith(_GITHUB_PREFIX):
            candidates.add(name[len(_GITHUB_PREFIX) :])
        else:
            candidates.add(_GITHUB_PREFIX + name)
    return any(c in anchors for c in candidates)
