"""Words a URL itself carries (path slug and domain), and whether they are descriptive at all.

Offline, the URL is all relevance can read. A slug like /2024/05/sourdough-starter-guide says
what the page is about; /p/8f3a9c2e or /watch?v=dQw4w9WgXcQ says nothing, and then no verdict
must be drawn from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_SPLIT = re.compile(r"[-_./+~,;:=&%!]+")
_VOWELS = set("aeiouyäöüéèêáàíóúñ")
_HEX = re.compile(r"^[0-9a-f]{6,}$")
_FILE_EXT = re.compile(r"\.(html?|php|aspx?|jsp|cgi|md|pdf)$", re.I)
# Path words that describe site furniture, not a topic.
_GENERIC = {
    "www", "com", "org", "net", "html", "htm", "php", "aspx", "index", "page", "pages", "post",
    "posts", "blog", "article", "articles", "news", "category", "tag", "tags", "en", "de", "fr",
    "es", "nl", "us", "uk", "amp", "wiki", "docs", "doc", "api", "the", "and", "for", "with",
    "view", "watch", "item", "items", "product", "products", "p", "s", "id", "story", "entry",
    "content", "static", "assets", "download", "downloads", "file", "files", "media", "home",
    "main", "default", "app", "web", "site", "www2", "m", "mobile", "share", "redirect", "go",
    "out", "link", "ref", "utm", "source", "medium", "campaign", "status", "questions", "issues",
    "pull", "blob", "tree", "master", "readme", "releases", "latest", "dp", "gp", "http", "https",
}


@dataclass(frozen=True, slots=True)
class SlugWords:
    path_words: tuple[str, ...]  # descriptive words from the path (lower case, in order)
    domain_labels: tuple[str, ...]  # registrable-ish domain labels, e.g. ("sourdoughclub",)
    opaque: bool  # True when the path holds ids or hashes rather than words

    @property
    def descriptive(self) -> bool:
        return not self.opaque and len(self.path_words) >= 2


def _is_word(token: str) -> bool:
    if not token.isalpha() or len(token) < 3 or len(token) > 24:
        return False
    if not any(c in _VOWELS for c in token):
        return False
    # Long consonant runs mark random strings ("xkcdqrzt"), not words.
    run = 0
    for c in token:
        run = 0 if c in _VOWELS else run + 1
        if run > 4:
            return False
    return True


def _looks_opaque(segment: str) -> bool:
    seg = segment.lower()
    if _HEX.match(seg) and any(c.isdigit() for c in seg):
        return True
    letters = sum(map(str.isalpha, seg))
    digits = sum(map(str.isdigit, seg))
    if len(seg) >= 6 and digits and letters and "-" not in seg and "_" not in seg:
        return True  # base64-ish ids like dQw4w9WgXcQ or a1b2c3d4
    return len(seg) >= 16 and "-" not in seg and "_" not in seg and not _is_word(seg)


@lru_cache(maxsize=4096)
def slug_words(url: str) -> SlugWords:
    """Split a URL's path (and query values) into words, flagging id/hash-like paths.

    Memoised: the editor judges the same links again on every pause in typing."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return SlugWords((), (), True)
    host = (parts.hostname or "").lower()
    labels = [lab for lab in host.split(".") if lab and lab not in _GENERIC]
    if len(labels) > 1:
        labels = labels[:-1]  # drop the TLD
    path = unquote(parts.path)
    path = _FILE_EXT.sub("", path)
    segments = [s for s in path.split("/") if s]
    words: list[str] = []
    opaque_segments = 0
    for segment in segments:
        if _looks_opaque(segment):
            opaque_segments += 1
            continue
        for token in _SPLIT.split(segment):
            token = token.lower()
            if token.isdigit() or token in _GENERIC:
                continue
            if _is_word(token):
                words.append(token)
    # A path that is mostly ids with a stray word ("/p/8f3a9c/edit") is opaque.
    opaque = not words or (opaque_segments > 0 and len(words) < 2)
    return SlugWords(tuple(words), tuple(labels), opaque)
