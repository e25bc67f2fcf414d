"""Bundled lists in resources/lists/, read lazily and once per process.

Format of every list: one entry a line; a line starting with "# " (hash and space) is a
comment, as is anything after " # " on a line, so entries like "#ad" stay possible; blank
lines are ignored; entries are lower-cased. `[name]` lines start a section. Each file names
its source and license in its header.
"""

from __future__ import annotations

from functools import cache

from linkwriter.core.resources import read_resource_text


def _entry(line: str) -> str:
    stripped = line.strip()
    if stripped == "#" or stripped.startswith("# "):
        return ""
    return stripped.split(" # ", 1)[0].strip().lower()


@cache
def load_sections(name: str) -> dict[str, tuple[str, ...]]:
    """Entries grouped under `[section]` lines; entries before any section go under ""."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in read_resource_text("lists", name).splitlines():
        entry = _entry(line)
        if not entry:
            continue
        if entry.startswith("[") and entry.endswith("]") and len(entry) > 2:
            current = entry[1:-1].strip()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(entry)
    return {k: tuple(v) for k, v in sections.items()}


@cache
def load_lines(name: str) -> tuple[str, ...]:
    return tuple(e for entries in load_sections(name).values() for e in entries)


@cache
def load_set(name: str) -> frozenset[str]:
    return frozenset(load_lines(name))
