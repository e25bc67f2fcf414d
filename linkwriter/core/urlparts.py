"""urlsplit that never raises, for code that only wants to look at a URL's parts.

Python's urlsplit raises ValueError on bracketed hosts that are not IPv6 addresses
("http://[more]/"), which a writer can type at any moment; the malformed-url rule reports
such URLs, and everything else should see them as having no usable host.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_url(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError:
        pass
    try:  # keep the rest of the URL readable: only the brackets were the trouble
        return urlsplit(url.replace("[", "%5B").replace("]", "%5D"))
    except ValueError:
        return SplitResult("", "", "", "", "")
