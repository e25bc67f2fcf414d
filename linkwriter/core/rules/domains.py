"""Host names: registrable domains from the bundled Public Suffix List, IP literals, and
matching hosts against domain lists (a listed domain covers its subdomains).

Everything is cached per host, because a post links the same few hosts again and again.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable
from functools import cache, lru_cache

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _psl():  # type: ignore[no-untyped-def]
    # The package ships its own copy of the list; constructing it never touches the network.
    # Without the punycoded duplicate of every rule it loads twice as fast; hosts are turned
    # into Unicode (unicode_host) before any lookup instead.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(accept_encoded_idn=False)


def unicode_host(host: str) -> str:
    """`xn--80ak6aa92e.com` -> `аррӏе.com`: the name as readers (and the PSL rules) spell it."""
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=8192)
def ip_literal(host: str) -> IPAddress | None:
    """The IP a host names literally, including the all-digit form browsers accept."""
    if not host:
        return None
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host.isdigit() and host.isascii():
        try:
            return ipaddress.IPv4Address(int(host))
        except (ValueError, ipaddress.AddressValueError):
            return None
    return None


@lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str | None:
    """`www.example.co.uk` -> `example.co.uk`; None for IPs and bare public suffixes."""
    host = unicode_host(host.rstrip(".").lower())
    if not host or ip_literal(host) is not None or "." not in host:
        return None
    try:
        return _psl().privatesuffix(host)
    except Exception:  # a malformed label must not break the whole check
        return None


@lru_cache(maxsize=8192)
def public_suffix(host: str) -> str | None:
    host = unicode_host(host.rstrip(".").lower())
    if not host or ip_literal(host) is not None:
        return None
    try:
        return _psl().publicsuffix(host)
    except Exception:
        return None


def parent_domains(host: str) -> list[str]:
    """`a.b.example.com` -> [a.b.example.com, b.example.com, example.com, com]."""
    labels = host.rstrip(".").lower().split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def normalize_entry(entry: str) -> str:
    """A config entry may be a host, a domain or a pasted URL; reduce it to a host."""
    entry = entry.strip().lower()
    if "://" in entry:
        entry = entry.split("://", 1)[1]
    entry = entry.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    entry = entry.rsplit("@", 1)[-1]
    if entry.startswith("[") and "]" in entry:
        return entry[1 : entry.index("]")]
    if entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    entry = entry.removeprefix("*.").strip(".")
    return unicode_host(entry)


class DomainSet:
    """A set of domains where an entry covers its subdomains.

    With ``registrable=True`` an entry also covers every host of its registrable domain
    (trusting ``blog.example.edu`` trusts ``example.edu`` and all its subdomains).
    """

    def __init__(self, entries: Iterable[str], *, registrable: bool = False) -> None:
        names: set[str] = set()
        for raw in entries:
            entry = normalize_entry(raw)
            if not entry:
                continue
            names.add(entry)
            if registrable:
                reg = registrable_domain(entry)
                if reg:
                    names.add(reg)
        self._names = frozenset(names)
        self._cache: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self._names)

    def match(self, host: str) -> str | None:
        """The entry that covers host, or None."""
        if not self._names or not host:
            return None
        try:
            return self._cache[host]
        except KeyError:
            pass
        found = None
        for candidate in parent_domains(unicode_host(host)):
            if candidate in self._names:
                found = candidate
                break
        self._cache[host] = found
        return found
