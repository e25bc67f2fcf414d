"""Configuration: TOML merged from the user config folder, `.linkwriter.toml` upward from the
post, and an explicit `--config PATH` (later wins). Unknown sections are kept for forward
compatibility; wrong types are a ConfigError naming file, line and key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkwriter.core.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = ".linkwriter.toml"
SEVERITIES = ("error", "warning", "info")

# Thresholds every rule can read; documented in docs/rules.md.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "long-anchor-words": 12,  # anchors longer than this many words are hard to scan
    "link-density-words-per-link": 25,  # fewer words than this per link is too dense
    "link-density-min-links": 4,  # never flag posts with fewer links than this
    "partner-max-links": 2,  # more partner links than this in one post is a link scheme
    "lookalike-max-distance": 1,  # edit distance to a popular domain that counts as a typo
    "lookalike-min-length": 5,  # popular names shorter than this (before the suffix) are not
    # checked for typos: one edit turns any short name into another real one
    # Relevance thresholds (docs/relevance.md explains each).
    "off-topic-score": 0.22,  # lexical score below which a link is off topic
    "anchor-mismatch-score": 0.2,  # paragraph must fit at least this well to judge the anchor
    "off-topic-for-post-score": 0.1,  # share of the post's key terms the page must cover
    "semantic-off-topic-score": 0.3,  # embedding cosine below which a link is off topic
    "relevance-min-terms": 3,  # fewer topic words around a link: not judged
    "relevance-min-page-terms": 5,  # pages with fewer distinct words (app shells): not judged
    "relevance-language-confidence": 0.25,  # language guesses below this are not trusted
    "relevance-post-min-words": 150,  # shorter posts get no off-topic-for-post verdicts
    "slug-min-words": 2,  # a URL needs this many descriptive words for slug-mismatch
}


@dataclass
class NetworkConfig:
    offline: bool = False
    timeout: float = 10.0  # seconds per request (connect + read)
    deadline: float = 30.0  # seconds per URL, retries included
    max_retries: int = 2
    host_concurrency: int = 4
    max_concurrency: int = 32
    host_interval: float = 0.05  # minimum seconds between requests to one host
    max_body_bytes: int = 2_000_000
    allow_private: bool = False
    accept: list[int] = field(default_factory=list)  # extra accepted status codes
    exclude: list[str] = field(default_factory=list)  # regexes of URLs never fetched
    remap: list[tuple[str, str]] = field(default_factory=list)  # (regex, replacement)
    headers: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-host overrides
    cache_ttl_ok: float = 86400.0
    cache_ttl_error: float = 3600.0
    safe_browsing_endpoint: str = "https://safebrowsing.googleapis.com/v4/threatMatches:find"
    wayback_endpoint: str = "https://archive.org/wayback/available"
    user_agent: str = ""
    # Added by the network checker (issue 4).
    connect_timeout: float = 5.0  # seconds to open a connection
    retry_wait: float = 0.25  # first backoff in seconds, doubled per retry (capped at 8 s)
    retry_after_cap: float = 60.0  # longest Retry-After honoured, in seconds
    max_redirects: int = 10
    max_decoded_bytes: int = 4_000_000  # cap on decompressed body size (gzip bombs)
    fetch_body: bool = True  # GET pages for metadata, fragments and soft-404 checks
    soft_404: bool = True  # probe each host's not-found page once per run
    https_upgrade: bool = True  # verify the https version of http links
    safe_browsing: bool = True  # used only when an API key is stored in the keyring
    wayback: bool = True  # archived-copy fix for broken links
    snapshots: bool = True  # remember what each linked page said (content-changed)
    ca_bundle: str = ""  # extra CA bundle (PEM) to trust, e.g. a company proxy's
    cache_path: str = ""  # default: the user cache folder


@dataclass
class Config:
    trusted: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    network: NetworkConfig = field(default_factory=NetworkConfig)
    # Raw sections for features that read their own keys (suggestions, relevance, ai).
    extra: dict[str, Any] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)

    def threshold(self, name: str) -> float:
        return self.thresholds.get(name, DEFAULT_THRESHOLDS.get(name, 0.0))

    def section(self, name: str) -> dict[str, Any]:
        value = self.extra.get(name, {})
        return value if isinstance(value, dict) else {}


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path("linkwriter", appauthor=False)


def user_config_file() -> Path:
    return user_config_dir() / "config.toml"


def find_project_config(start: Path) -> Path | None:
    """Nearest .linkwriter.toml in the post's folder or any folder above it."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.resolve().parents]:
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(
    post: Path | None = None,
    explicit: Path | None = None,
    *,
    use_user_config: bool = True,
) -> Config:
    files: list[Path] = []
    if use_user_config and user_config_file().is_file():
        files.append(user_config_file())
    if post is not None:
        found = find_project_config(post)
        if found is not None:
            files.append(found)
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        files.append(explicit)
    config = Config()
    for path in files:
        merge_file(config, path)
    return config


def merge_file(config: Config, path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    _merge(config, data, _Locator(path, text))
    config.sources.append(path)


class _Locator:
    """Names the line of a key so errors point the writer at it."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def error(self, dotted: str, problem: str) -> ConfigError:
        key = dotted.rsplit(".", 1)[-1]
        pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
        line = next((i for i, text in enumerate(self.lines, 1) if pattern.match(text)), None)
        where = f"{self.path}:{line}" if line else str(self.path)
        return ConfigError(f"{where}: key '{dotted}': {problem}")


def _str_list(value: Any, dotted: str, loc: _Locator) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise loc.error(dotted, "expected a list of strings")
    return list(value)


def _merge(config: Config, data: dict[str, Any], loc: _Locator) -> None:
    domains = data.get("domains", {})
    if not isinstance(domains, dict):
        raise loc.error("domains", "expected a table")
    for key in ("trusted", "blocked", "partners"):
        if key in domains:
            values = [
                d.strip().lower().lstrip(".")
                for d in _str_list(domains[key], f"domains.{key}", loc)
            ]
            merged = getattr(config, key) + [v for v in values if v not in getattr(config, key)]
            setattr(config, key, merged)

    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise loc.error("rules", "expected a table")
    if "ignore" in rules:
        config.ignore += [
            r for r in _str_list(rules["ignore"], "rules.ignore", loc) if r not in config.ignore
        ]
    severity = rules.get("severity", {})
    if not isinstance(severity, dict):
        raise loc.error("rules.severity", "expected a table")
    for rule, sev in severity.items():
        if sev not in SEVERITIES:
            raise loc.error(
                f"rules.severity.{rule}", f"expected one of {', '.join(SEVERITIES)}, got {sev!r}"
            )
        config.severity[rule] = sev
    thresholds = rules.get("thresholds", data.get("thresholds", {}))
    if not isinstance(thresholds, dict):
        raise loc.error("rules.thresholds", "expected a table")
    for name, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise loc.error(f"rules.thresholds.{name}", "expected a number")
        config.thresholds[name] = float(value)

    network = data.get("network", {})
    if not isinstance(network, dict):
        raise loc.error("network", "expected a table")
    _merge_network(config.network, network, loc)

    for key, value in data.items():
        if key not in ("domains", "rules", "network", "thresholds"):
            if isinstance(value, dict) and isinstance(config.extra.get(key), dict):
                config.extra[key] = {**config.extra[key], **value}
            else:
                config.extra[key] = value


_NET_TYPES: dict[str, type | tuple[type, ...]] = {
    "offline": bool,
    "timeout": (int, float),
    "deadline": (int, float),
    "max_retries": int,
    "host_concurrency": int,
    "max_concurrency": int,
    "host_interval": (int, float),
    "max_body_bytes": int,
    "allow_private": bool,
    "cache_ttl_ok": (int, float),
    "cache_ttl_error": (int, float),
    "safe_browsing_endpoint": str,
    "wayback_endpoint": str,
    "user_agent": str,
    "connect_timeout": (int, float),
    "retry_wait": (int, float),
    "retry_after_cap": (int, float),
    "max_redirects": int,
    "max_decoded_bytes": int,
    "fetch_body": bool,
    "soft_404": bool,
    "https_upgrade": bool,
    "safe_browsing": bool,
    "wayback": bool,
    "snapshots": bool,
    "ca_bundle": str,
    "cache_path": str,
}


def _merge_network(net: NetworkConfig, data: dict[str, Any], loc: _Locator) -> None:
    for key, value in data.items():
        dotted = f"network.{key}"
        if key in _NET_TYPES:
            expected = _NET_TYPES[key]
            if isinstance(value, bool) and expected is not bool:
                raise loc.error(dotted, "expected a number")
            if not isinstance(value, expected):
                raise loc.error(dotted, f"expected {_type_name(expected)}")
            setattr(net, key, value)
        elif key == "accept":
            if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
                raise loc.error(dotted, "expected a list of status codes")
            net.accept = list(value)
        elif key == "exclude":
            net.exclude = _str_list(value, dotted, loc)
            for pattern in net.exclude:
                _check_regex(pattern, dotted, loc)
        elif key == "remap":
            pairs = []
            for item in value if isinstance(value, list) else [None]:
                if isinstance(item, str) and " " in item.strip():
                    pattern, replacement = item.strip().split(None, 1)
                elif (
                    isinstance(item, list)
                    and len(item) == 2
                    and all(isinstance(v, str) for v in item)
                ):
                    pattern, replacement = item
                else:
                    raise loc.error(dotted, "expected a list of 'regex replacement' strings")
                _check_regex(pattern, dotted, loc)
                pairs.append((pattern, replacement))
            net.remap = pairs
        elif key == "headers":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise loc.error(dotted, "expected a table of header strings")
            net.headers.update(value)
        elif key == "hosts":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise loc.error(dotted, "expected a table of host tables")
            net.hosts.update(value)
        # Unknown network keys are ignored so newer configs still load in older versions.


def _check_regex(pattern: str, dotted: str, loc: _Locator) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise loc.error(dotted, f"invalid regular expression {pattern!r}: {exc}") from None


def _type_name(expected: type | tuple[type, ...]) -> str:
    if expected is bool:
        return "true or false"
    if expected is str:
        return "a string"
    return "a number"
