"""Link health over the network (issue 4): polite, bounded, cached, Qt-free.

Nothing here touches the network at import time; sockets are opened only by
NetworkChecker.check, and never when the config says offline.
"""

from linkwriter.core.net.cache import Cache
from linkwriter.core.net.checker import NetworkChecker, default_user_agent
from linkwriter.core.net.findings import (
    image_urls,
    merge_insecure_http,
    network_findings,
    urls_for_post,
)
from linkwriter.core.net.report import PageMeta, Snapshot, UrlReport
from linkwriter.core.net.rules import NETWORK_RULE_IDS, NETWORK_RULES, NetworkRule

__all__ = [
    "Cache",
    "NETWORK_RULES",
    "NETWORK_RULE_IDS",
    "NetworkChecker",
    "NetworkRule",
    "PageMeta",
    "Snapshot",
    "UrlReport",
    "default_user_agent",
    "image_urls",
    "merge_insecure_http",
    "network_findings",
    "urls_for_post",
]
