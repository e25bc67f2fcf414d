"""What a link points at, parsed once: scheme, host, port, userinfo, problems.

Rules read the destination as the writer wrote it (entities and backslash escapes decoded,
so `&amp;` is `&`), not markdown-it-py's percent-encoded, punycoded href: the writer and the
lookalike check both need the name as it reads. Parsing is cached per distinct URL.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.common.utils import unescapeAll

from linkwriter.core.model import Link, LinkKind

WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_CHARS = str.maketrans("", "", "\t\n\r")  # browsers drop these anywhere in a URL
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))
# Characters that can never appear in a host name (WHATWG "forbidden host code points").
_SPACE = re.compile(r"\s")
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\"{}`]")


@dataclass(frozen=True, slots=True, eq=False)
class Target:
    value: str  # the destination as a reader's browser sees it (decoded, scheme implied)
    scheme: str  # lower-case, "" for relative and protocol-relative links
    web: bool  # http(s) or protocol-relative: has (or should have) a host
    host: str = ""  # lower-case, no brackets, no trailing dot; Unicode as written
    port: int | None = None
    userinfo: str = ""
    path: str = ""
    query: str = ""
    fragment: str = ""
    problem: str = ""  # why the URL is malformed ("" when fine)
    implied_scheme: bool = False  # bare `www.` link: the renderer adds http://

    @property
    def is_relative(self) -> bool:
        return not self.scheme and not self.web


def target_of(link: Link) -> Target:
    value = link.url.strip()
    if "&" in value or "\\" in value:
        value = unescapeAll(value)
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if link.kind in (LinkKind.BARE, LinkKind.AUTOLINK) and not _SCHEME.match(value):
        if link.href.lower().startswith("mailto:") or ("@" in value and "/" not in value):
            return parse_target("mailto:" + value)
        return parse_target("http://" + value, True)
    return parse_target(value)


# RFC 3986, appendix B: scheme, authority, path, query, fragment.
_URI = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.\-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$",
                  re.DOTALL)


@lru_cache(maxsize=16384)
def parse_target(value: str, implied_scheme: bool = False) -> Target:
    """Parse once per distinct destination (a post links the same pages again and again)."""
    cleaned = value
    if "\t" in cleaned or "\n" in cleaned or "\r" in cleaned:
        cleaned = cleaned.translate(_IGNORED_CHARS)
    cleaned = cleaned.lstrip(_C0_AND_SPACE).rstrip()
    m = _SCHEME.match(cleaned)
    scheme = m.group(1).lower() if m else ""
    if scheme and scheme not in WEB_SCHEMES:
        return Target(value=value, scheme=scheme, web=False)
    if not scheme and not cleaned.startswith("//"):
        return Target(value=value, scheme="", web=False)
    parts = _URI.match(cleaned)
    assert parts is not None  # every group is optional: the pattern matches any string
    netloc, path, query, fragment = (g or "" for g in parts.group(2, 3, 4, 5))
    userinfo, _, hostport = netloc.rpartition("@")
    host, port, problem = _split_hostport(hostport)
    if not problem:
        problem = _host_problem(hostport, host)
    if not problem and _SPACE.search(value.strip()):
        problem = "it contains spaces"
    return Target(
        value=value,
        scheme=scheme,
        web=True,
        host=host,
        port=port,
        userinfo=userinfo,
        path=path,
        query=query,
        fragment=fragment,
        problem=problem,
        implied_scheme=implied_scheme,
    )


def _split_hostport(hostport: str) -> tuple[str, int | None, str]:
    """(host, port, problem) from "host:port", "[v6]:port" or "host"."""
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            return "", None, "it cannot be parsed (the '[' of its IPv6 address is never closed)"
        host, rest = hostport[1:close], hostport[close + 1 :]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return host, None, f"it cannot be parsed ({host!r} is not an IPv6 address)"
        if rest and not rest.startswith(":"):
            return host, None, f"it cannot be parsed (text after the IPv6 address: {rest!r})"
        port_text = rest[1:]
    else:
        host, _, port_text = hostport.partition(":")
    host = host.lower().rstrip(".")
    if not port_text:
        return host, None, ""
    if port_text.isascii() and port_text.isdigit() and int(port_text) <= 65535:
        return host, int(port_text), ""
    return host, None, f"its port is not a number from 0 to 65535 ({hostport!r})"


def _host_problem(hostport: str, host: str) -> str:
    if not host:
        return "it has no host name"
    if hostport.startswith("["):
        return ""  # IPv6 literal, validated by _split_hostport
    if _SPACE.search(host):
        return "its host name contains spaces"
    if _FORBIDDEN_HOST.search(host):
        return f"its host name {host!r} contains characters no host name can have"
    if ".." in host or host.startswith("."):
        return f"its host name {host!r} has an empty label"
    return ""


# Relative links that were surely meant as web links: `www.example.com/x` or `https//x`.
_MISSING_COLON = re.compile(r"^(https?)//", re.IGNORECASE)
_WWW = re.compile(r"^www\.[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", re.IGNORECASE)


def meant_as_web(value: str) -> str:
    """Return the prefix fix ("missing-colon" / "missing-scheme") or ""."""
    if value[:1] not in "hHwW" or not value:
        return ""
    if _MISSING_COLON.match(value):
        return "missing-colon"
    if _WWW.match(value):
        return "missing-scheme"
    return ""
