"""Wayback Machine availability API: the closest archived copy of a broken page."""

from __future__ import annotations

import time

import requests

from linkwriter.core.net.transport import request_context


def closest_snapshot(
    session: requests.Session,
    endpoint: str,
    url: str,
    *,
    timestamp: str = "",
    timeout: float = 10.0,
) -> str:
    """The archived URL (https), or "" when none exists or the service does not answer."""
    params = {"url": url}
    if timestamp:
        params["timestamp"] = timestamp
    try:
        with request_context(deadline=time.monotonic() + timeout * 2, allow_private=True):
            resp = session.get(endpoint, params=params, timeout=timeout)
            if resp.status_code != 200:
                return ""
            data = resp.json()
    except (requests.RequestException, ValueError):
        return ""
    closest = ((data or {}).get("archived_snapshots") or {}).get("closest") or {}
    if not closest.get("available") or str(closest.get("status", "200")) not in ("200", ""):
        return ""
    archived = str(closest.get("url", ""))
    if archived.startswith("http://web.archive.org/"):
        archived = "https://" + archived[len("http://") :]
    return archived
