"""Page profiles prepared while the network check is still running.

`linkwriter check` judges relevance only once every page has arrived, and reducing a thousand
pages to stems is most of that work. The network stage spends its time waiting on sockets, so
the caller hands each page over as it arrives and the profiles land in `cached_profile`'s memo;
the judge later finds them there. Same profiles, same verdicts: only the moment changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from linkwriter.core.config import Config
from linkwriter.core.post import Post
from linkwriter.core.relevance.judge import _prose, judged_links, link_language, post_language
from linkwriter.core.relevance.pageinfo import page_info_from_metadata
from linkwriter.core.relevance.scoring import PROFILE_CACHE_SIZE, cached_profile


class ProfileWarmer:
    """Knows which page keys (as the network reports are keyed: the link's URL as written) the
    judge will profile, and in which languages; `warm` reduces one arrived page."""

    def __init__(self, posts: Iterable[tuple[Post, Config]]) -> None:
        self.languages: dict[str, set[str]] = {}
        for post, config in posts:
            post_lang = post_language(_prose(post))
            for _, link in judged_links(post):
                key = (link.href or link.url).strip()
                if key:
                    self.languages.setdefault(key, set()).add(
                        link_language(link, post_lang, config)
                    )
        # The memo is a bounded LRU: warming more pages than it holds would evict the first.
        self.budget = PROFILE_CACHE_SIZE - 16
        self.warmed = 0

    def warm(self, key: str, meta: Mapping[str, Any] | Any) -> None:
        """Profile the page behind `key` (its network metadata) for the judge, if it will need
        it; anything unexpected is left for the judge to meet in its own time."""
        langs = self.languages.get(key)
        if not langs or meta is None or self.warmed >= self.budget:
            return
        page = page_info_from_metadata(meta, url=key)
        if page.status is not None and page.status >= 400:
            return
        if not page.is_html or not page.has_content:
            return
        for lang in sorted(langs):
            cached_profile(page, lang)
            self.warmed += 1
