"""Lead-in templates are data: bundled TOML in resources/templates, plus the writer's own.

A writer drops a `*.toml` file into `<config folder>/templates/` and the next run uses it; a
template with the same id as a bundled one replaces it. Files that cannot be read are skipped
with a note (collected in `TemplateSet.problems`) so one typo never disables suggestions.
"""

from __future__ import annotations

import re
import string
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from linkwriter.core.resources import resource_path
from linkwriter.core.suggest.intents import Intent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Every placeholder a template may use; anything else makes the template invalid.
PLACEHOLDERS = frozenset(
    {
        "link",  # the link construct itself (required, exactly once)
        "topic",
        "title",
        "site",
        "domain",
        "anchor",
        "year",
        "author",
        "org",
        "rest",
        "term",
        "disclosure",
        "partner",
        "heading",
    }
)
DISCLOSURE_RE = re.compile(
    r"\b(?:affiliate|commission|sponsored|sponsor|paid|advertisement|disclosure|"
    r"as an amazon associate|not sponsored|no affiliate|earn)\b|#ad\b|\{disclosure\}",
    re.I,
)
SPONSORED_RE = re.compile(
    r"\bsponsor(?:ed|ing|s|ship)?\b|\bpaid partnership\b|#ad\b|\badvertisement\b", re.I
)


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    intent: Intent
    text: str
    weight: float = 1.0
    anchor: str | None = None  # optional pattern for a new anchor when the current one is vague
    origin: str = "bundled"

    @property
    def fields(self) -> set[str]:
        return placeholders(self.text) | (placeholders(self.anchor) if self.anchor else set())


@dataclass
class TemplateSet:
    templates: list[Template] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def for_intent(self, intent: Intent) -> list[Template]:
        return [t for t in self.templates if t.intent is intent]

    def intents(self) -> set[Intent]:
        return {t.intent for t in self.templates}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def bundled_dir() -> Path:
    return resource_path("templates")


def user_dir() -> Path:
    from linkwriter.core.config import user_config_dir

    return user_config_dir() / "templates"


def load_templates(
    extra_dirs: list[Path] | None = None, *, include_user: bool = True
) -> TemplateSet:
    """Bundled templates, then the user's folder, then any extra folders (later ids win)."""
    dirs = [bundled_dir()]
    if include_user:
        dirs.append(user_dir())
    dirs += list(extra_dirs or [])
    by_id: dict[str, Template] = {}
    result = TemplateSet()
    for folder in dirs:
        if not folder.is_dir():
            continue
        origin = "bundled" if folder == dirs[0] else str(folder)
        for path in sorted(folder.glob("*.toml")):
            for template in _read_file(path, origin, result.problems):
                by_id[template.id] = template
    result.templates = list(by_id.values())
    return result


def _read_file(path: Path, origin: str, problems: list[str]) -> list[Template]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: skipped, cannot read templates: {exc}")
        return []
    default_intent = data.get("intent")
    out = []
    for n, raw in enumerate(data.get("template", []), 1):
        where = f"{path}: template {n}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: skipped, expected a table")
            continue
        try:
            out.append(parse_template(raw, default_intent, origin))
        except ValueError as exc:
            problems.append(f"{where}: skipped, {exc}")
    return out


def parse_template(
    raw: dict, default_intent: str | None = None, origin: str = "bundled"
) -> Template:
    intent_name = raw.get("intent", default_intent)
    try:
        intent = Intent(intent_name)
    except ValueError:
        raise ValueError(
            f"unknown intent {intent_name!r} (one of {', '.join(i.value for i in Intent)})"
        ) from None
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing 'text'")
    try:
        names = placeholders(text)
    except ValueError as exc:
        raise ValueError(f"bad placeholder syntax: {exc}") from None
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValueError(f"unknown placeholder(s) {', '.join(sorted(unknown))}")
    if text.count("{link}") != 1:
        raise ValueError("'text' must contain {link} exactly once")
    anchor = raw.get("anchor")
    if anchor is not None:
        if not isinstance(anchor, str) or "{link}" in anchor or "{rest}" in anchor:
            raise ValueError("'anchor' must be a string without {link} or {rest}")
        if placeholders(anchor) - PLACEHOLDERS:
            raise ValueError("unknown placeholder in 'anchor'")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise ValueError("'weight' must be a number")
    tid = raw.get("id") or f"{intent.value}-{zlib.crc32(text.encode()):08x}"
    return Template(str(tid), intent, text.strip(), float(weight), anchor, origin)
