"""Changing the user's config file from the app ("Trust this domain", the settings dialog).

tomlkit keeps the writer's comments and layout; the file is replaced atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit

from linkwriter.core.config import user_config_file
from linkwriter.core.errors import ConfigError
from linkwriter.gui.storage import atomic_write_bytes


def _load(path: Path) -> tomlkit.TOMLDocument:
    if not path.is_file():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise ConfigError(f"{path}: cannot update config: {exc}") from None


def _save(path: Path, doc: tomlkit.TOMLDocument) -> None:
    atomic_write_bytes(path, tomlkit.dumps(doc).encode("utf-8"))


def _table(doc: Any, name: str) -> Any:
    if name not in doc:
        doc[name] = tomlkit.table()
    return doc[name]


def add_domain(kind: str, domain: str, path: Path | None = None) -> Path:
    """Add domain to [domains] trusted / blocked / partners (no duplicates)."""
    path = path or user_config_file()
    doc = _load(path)
    domains = _table(doc, "domains")
    values = domains.get(kind)
    if values is None:
        values = tomlkit.array()
        domains[kind] = values
    domain = domain.strip().lower().lstrip(".")
    if domain not in [str(v) for v in values]:
        values.append(domain)
    _save(path, doc)
    return path


def set_domains(kind: str, domains: list[str], path: Path | None = None) -> Path:
    path = path or user_config_file()
    doc = _load(path)
    arr = tomlkit.array()
    arr.extend(domains)
    _table(doc, "domains")[kind] = arr
    _save(path, doc)
    return path


def set_value(dotted: str, value: Any, path: Path | None = None) -> Path:
    """Set e.g. "network.offline" or "rules.severity.vague-anchor"; None removes the key."""
    path = path or user_config_file()
    doc = _load(path)
    *tables, key = dotted.split(".")
    node: Any = doc
    for name in tables:
        node = _table(node, name)
    if value is None:
        if key in node:
            del node[key]
    else:
        node[key] = value
    _save(path, doc)
    return path


THEMES = ("system", "light", "dark")


def saved_theme(path: Path | None = None) -> str:
    """The theme the settings dialog saved (`[app] theme` in the user config): "system",
    "light" or "dark"; "system" when unset or unreadable (the app must still start)."""
    import tomllib

    path = path or user_config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "system"
    app = data.get("app")
    theme = app.get("theme") if isinstance(app, dict) else None
    return theme if theme in THEMES else "system"
