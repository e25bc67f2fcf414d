"""Flags of `linkwriter check` for the network checker; cheap to import (no requests), so the
argument parser can be built without loading the network stack."""

from __future__ import annotations

import argparse
import re

from linkwriter.core.config import Config

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """'90', '45s', '30m', '2h', '1d', '1w' -> seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r} (examples: 3600, 30m, 2h, 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("network")
    group.add_argument(
        "--no-cache",
        action="store_true",
        help="check every URL afresh; do not read or write the cache",
    )
    group.add_argument(
        "--cache-ttl",
        type=parse_duration,
        metavar="DURATION",
        help="how long a cached verdict stays fresh (e.g. 30m, 2h, 1d; failures at most this long)",
    )
    group.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch hosts that resolve to loopback, private or link-local addresses",
    )


def apply_network_arguments(config: Config, args: argparse.Namespace) -> None:
    net = config.network
    if getattr(args, "offline", False):
        net.offline = True
    if getattr(args, "allow_private", False):
        net.allow_private = True
    ttl = getattr(args, "cache_ttl", None)
    if ttl is not None:
        net.cache_ttl_ok = ttl
        net.cache_ttl_error = min(net.cache_ttl_error, ttl)
