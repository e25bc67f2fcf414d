"""Google Safe Browsing v4 Lookup API: used only when the writer stored an API key in the OS
keyring. The key travels in a header (never in a URL, so it cannot leak into error text or
logs) and matches are cached for the cacheDuration the API gives."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

import requests

from linkwriter import __version__
from linkwriter.core.net.transport import request_context

KEYRING_SERVICE = "linkwriter"
KEYRING_USER = "safe-browsing"
BATCH = 500
THREAT_TYPES = [
    "MALWARE",
    "SOCIAL_ENGINEERING",
    "UNWANTED_SOFTWARE",
    "POTENTIALLY_HARMFUL_APPLICATION",
]


def stored_api_key() -> str | None:
    """The key from the keyring, or None when there is none or no usable keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, KEYRING_USER) or None
        except KeyringError:
            return None
    except Exception:  # a broken keyring backend must not stop a check
        return None


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"\s*([0-9.]+)s\s*", duration or "")
    return float(match.group(1)) if match else 300.0


class SafeBrowsingError(Exception):
    pass


def lookup(
    session: requests.Session,
    endpoint: str,
    api_key: str,
    urls: Sequence[str],
    *,
    timeout: float = 10.0,
) -> dict[str, tuple[list[str], float]]:
    """Map each listed URL to (threat types, cache seconds). Unlisted URLs are absent."""
    found: dict[str, tuple[list[str], float]] = {}
    for i in range(0, len(urls), BATCH):
        batch = list(urls[i : i + BATCH])
        body = {
            "client": {"clientId": "linkwriter", "clientVersion": __version__},
            "threatInfo": {
                "threatTypes": THREAT_TYPES,
                "platformTypes": ["ANY_PLATFORM"],
                "threatEntryTypes": ["URL"],
                "threatEntries": [{"url": u} for u in batch],
            },
        }
        try:
            with request_context(deadline=time.monotonic() + timeout * 2, allow_private=True):
                resp = session.post(
                    endpoint, json=body, headers={"X-Goog-Api-Key": api_key}, timeout=timeout
                )
                status = resp.status_code
                data = resp.json() if status == 200 else {}
        except (requests.RequestException, ValueError) as exc:
            raise SafeBrowsingError(f"Safe Browsing lookup failed: {type(exc).__name__}") from None
        if status != 200:
            raise SafeBrowsingError(f"Safe Browsing lookup failed: HTTP {status}")
        for match in data.get("matches", []) or []:
            url = (match.get("threat") or {}).get("url")
            if not url:
                continue
            types, seconds = found.get(url, ([], 300.0))
            kind = match.get("threatType", "THREAT")
            if kind not in types:
                types.append(kind)
            found[url] = (types, min(seconds, _seconds(match.get("cacheDuration", ""))))
    return found
