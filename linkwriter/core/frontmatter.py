"""Front matter (YAML `---` or TOML `+++`) is metadata, not body: find where the body starts."""

from __future__ import annotations

import re

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_YAML_KV = re.compile(r"^([A-Za-z0-9_][\w.-]*)\s*:\s*(.*?)\s*$")
_TOML_KV = re.compile(r"^([A-Za-z0-9_][\w.-]*|\"[^\"]*\")\s*=\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Return (simple key/value metadata, offset where the Markdown body starts).

    Only a block that opens on the very first line (after an optional BOM) and is closed
    counts; an unclosed fence is ordinary Markdown (a thematic break, say).
    """
    offset = 1 if text.startswith("\ufeff") else 0
    lines = _LINE_RE.finditer(text, offset)
    first = next(lines, None)
    if first is None:
        return {}, 0
    opener = first.group().rstrip("\r\n").rstrip()
    if opener not in _FENCES:
        return {}, 0
    closers = _FENCES[opener]
    body: list[str] = []
    for m in lines:
        raw = m.group()
        if not raw:
            break
        line = raw.rstrip("\r\n")
        if line.rstrip() in closers:
            return _parse(body, toml=opener == "+++"), m.end()
        body.append(line)
        if m.end() >= len(text):
            break
    return {}, 0


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse(lines: list[str], toml: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    pattern = _TOML_KV if toml else _YAML_KV
    for line in lines:
        if not line or line[0] in " \t#-[":
            continue  # nested structures, comments, tables: not simple metadata
        m = pattern.match(line)
        if m:
            out.setdefault(_unquote(m.group(1)), _unquote(m.group(2)))
    return out
