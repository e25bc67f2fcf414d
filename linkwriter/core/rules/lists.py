"""Bundled lists in resources/lists/, read lazily and once per process.

Format of every list: one entry a line, `#` starts a comment, blank lines are ignored,
entries are lower-cased. Each file names its source and license in its header.
"""

from __future__ import annotations

from functools import cache

from linkwriter.core.resources import read_resource_text


@cache
def load_lines(name: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in read_resource_text("lists", name).splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line.lower())
    return tuple(out)


@cache
def load_set(name: str) -> frozenset[str]:
    return frozenset(load_lines(name))


@cache
def load_sections(name: str) -> dict[str, tuple[str, ...]]:
    """Lists grouped under `[section]` lines (e.g. generic anchors by language)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in read_resource_text("lists", name).splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip().lower()
            continue
        sections.setdefault(current, []).append(stripped.lower())
    return {k: tuple(v) for k, v in sections.items()}
