"""Link health over the network (issue 4): polite, bounded, cached, Qt-free.

Nothing here touches the network at import time; sockets are opened only by
NetworkChecker.check, and never when the config says offline. Names are loaded lazily so
that `linkwriter --help` and the offline path do not pay for importing requests.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Cache": "cache",
    "NetworkChecker": "checker",
    "default_user_agent": "checker",
    "check_post_links": "findings",
    "image_urls": "findings",
    "merge_insecure_http": "findings",
    "network_findings": "findings",
    "urls_for_post": "findings",
    "PageMeta": "report",
    "Snapshot": "report",
    "UrlReport": "report",
    "NETWORK_RULES": "rules",
    "NETWORK_RULE_IDS": "rules",
    "NetworkRule": "rules",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
