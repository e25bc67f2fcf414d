"""Values for template placeholders, each from the best evidence available, or None.

None means "unknown": the engine then drops every template that needs it rather than guess.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache

from linkwriter.core.model import Link, LinkKind
from linkwriter.core.post import Post
from linkwriter.core.suggest.urls import host_of, is_internal, registrable, slug_words

# Lighthouse link-text.js (EN) plus Google's examples and common blog fillers.
VAGUE_ANCHORS = frozenset(
    {
        "click here",
        "click this",
        "go",
        "here",
        "information",
        "learn more",
        "more",
        "more info",
        "more information",
        "right here",
        "read more",
        "see more",
        "start",
        "this",
        "page",
        "article",
        "link",
        "website",
        "this page",
        "this post",
        "this article",
        "this link",
        "click",
        "here's",
        "here is",
        "read this",
        "this one",
        "source",
        "sources",
        "site",
        "this site",
        "post",
        "that",
        "it",
        "check it out",
        "check this out",
        "see here",
        "read here",
        "go here",
        "details",
        "more details",
        "find out more",
        "continue reading",
        "read on",
        "view",
        "download",
        "download here",
        "website here",
        "homepage",
        "clicking here",
        "tap here",
        "link here",
        "web site",
        "blog",
        "this blog",
        "this guide",
        "these",
        "those",
        "full article",
        "the article",
        "the link",
        "the post",
        "the page",
        "a link",
        "this study",
        "this report",
        "this tool",
        "this video",
        "video",
        "report",
        "study",
        "tool",
        "guide",
        "docs",
        "the docs",
        "documentation",
        "the documentation",
        "here and here",
        "this thread",
    }
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "was",
        "be",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "how",
        "why",
        "what",
        "when",
        "where",
        "which",
        "who",
        "you",
        "i",
        "we",
    ]
)
_WORD = re.compile(r"[^\W_][\w'’-]*")
_DEMONSTRATIVE = re.compile(r"^(?:this|that|these|those)(?: [\w'’-]+){1,2}$")
_DOMAIN_LIKE = re.compile(
    r"(?i)\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|co|uk|de|app|ai|gov|edu|info|me|ly|to)\b"
    r"|https?:|www\.|@"
)

# Names a plain domain cannot spell (capitals, spaces, articles).
KNOWN_SITES: dict[str, str] = {
    "wikipedia.org": "Wikipedia",
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "pewresearch.org": "Pew Research Center",
    "who.int": "the World Health Organization",
    "oecd.org": "the OECD",
    "worldbank.org": "the World Bank",
    "census.gov": "the US Census Bureau",
    "bls.gov": "the Bureau of Labor Statistics",
    "nature.com": "Nature",
    "science.org": "Science",
    "arxiv.org": "arXiv",
    "ourworldindata.org": "Our World in Data",
    "statista.com": "Statista",
    "gallup.com": "Gallup",
    "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian",
    "bbc.co.uk": "the BBC",
    "bbc.com": "the BBC",
    "developer.mozilla.org": "MDN",
    "mozilla.org": "Mozilla",
    "python.org": "the Python documentation",
    "w3.org": "the W3C",
    "rfc-editor.org": "the RFC Editor",
    "ietf.org": "the IETF",
    "microsoft.com": "Microsoft",
    "apple.com": "Apple",
    "google.com": "Google",
    "amazon.com": "Amazon",
    "amazon.co.uk": "Amazon",
    "amazon.de": "Amazon",
    "medium.com": "Medium",
    "substack.com": "Substack",
    "stackoverflow.com": "Stack Overflow",
    "merriam-webster.com": "Merriam-Webster",
    "britannica.com": "Britannica",
    "investopedia.com": "Investopedia",
    "cdc.gov": "the CDC",
    "nih.gov": "the NIH",
    "imf.org": "the IMF",
    "un.org": "the United Nations",
    "hbr.org": "Harvard Business Review",
    "theatlantic.com": "The Atlantic",
    "wired.com": "Wired",
    "arstechnica.com": "Ars Technica",
    "nngroup.com": "Nielsen Norman Group",
    "readthedocs.io": "Read the Docs",
    "kubernetes.io": "Kubernetes",
    "docker.com": "Docker",
    "youtube.com": "YouTube",
    "npmjs.com": "npm",
    "etsy.com": "Etsy",
    "ebay.com": "eBay",
    "bestbuy.com": "Best Buy",
    "ikea.com": "IKEA",
    "rei.com": "REI",
    "gov.uk": "the UK government",
    "ons.gov.uk": "the Office for National Statistics",
    "smashingmagazine.com": "Smashing Magazine",
    "css-tricks.com": "CSS-Tricks",
    "economist.com": "The Economist",
    "mckinsey.com": "McKinsey",
    "gartner.com": "Gartner",
    "nber.org": "the NBER",
    "ted.com": "TED",
    "npr.org": "NPR",
    "vox.com": "Vox",
    "theverge.com": "The Verge",
    "techcrunch.com": "TechCrunch",
    "dictionary.cambridge.org": "the Cambridge Dictionary",
    "cambridge.org": "Cambridge",
    "oxfordlearnersdictionaries.com": "Oxford Learner's Dictionaries",
    "wiktionary.org": "Wiktionary",
}


@dataclass(frozen=True, slots=True)
class Slots:
    values: dict[str, str | None]

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def normalise_anchor(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'’-]", " ", text.lower()).split())


def looks_like_url(text: str) -> bool:
    t = text.strip()
    return bool(re.match(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", t, re.I))


def is_vague(link: Link) -> bool:
    """The anchor says nothing about the target: a generic phrase, a URL, or nothing at all."""
    if link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return True
    text = link.text.strip()
    norm = normalise_anchor(text)
    return (
        not text
        or norm in VAGUE_ANCHORS
        or looks_like_url(text)
        or bool(_DEMONSTRATIVE.match(norm))  # "this grinder", "that post": which one?
    )


def anchor_editable(link: Link, text: str | None = None) -> bool:
    """Only a bracketed or <a> anchor can be reworded without changing the construct, and
    never one that holds an image (rewording would delete the picture)."""
    if not (
        link.kind in (LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.HTML)
        and 0 <= link.label_start <= link.label_end
    ):
        return False
    label = text[link.label_start : link.label_end] if text is not None else ""
    return "![" not in label and "<img" not in label.lower()


def descriptive_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _STOP]


def clean_title(title: str, site: str | None = None) -> str:
    """'Sourdough basics | King Arthur Baking' -> 'Sourdough basics'."""
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—·•»]\s+|\s+-\s+|\s+::\s+", title)
    if len(parts) > 1:
        best = max(parts, key=lambda p: (len(p.split()) >= 2, len(p)))
        if site and parts[-1].strip().lower() == site.lower():
            best = " - ".join(parts[:-1])
        title = best
    return title.strip(" .")


def short_phrase(text: str, low: int = 2, high: int = 6) -> str | None:
    """A 2–6 word phrase from a longer title: the part before ':' or the first clause."""
    text = " ".join(text.split()).strip(" .")
    for candidate in (text, *re.split(r"[:;?!]\s+|\s+[–—]\s+|,\s+", text)):
        words = candidate.split()
        if low <= len(words) <= high and descriptive_words(candidate):
            return candidate.strip(" .,")
    return None


@lru_cache(maxsize=8)
def body_vocabulary(body: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words the post writes in lower case, and words it capitalises mid-sentence (names).

    Cached per text: every link of a post asks, and the post is the same for all of them.
    """
    lower = frozenset(re.findall(r"\b[a-z][\w'-]*\b", body))
    names = frozenset(re.findall(r"(?<=[a-z,] )([A-Z][a-z][\w'-]*)", body))
    return lower, names


_LOWER_WORD = re.compile(r"\b[a-z][\w'-]*\b")
_NAME_WORD = re.compile(r"(?<=[a-z,] )([A-Z][a-z][\w'-]*)")


class Vocabulary:
    """body_vocabulary(body) kept up to date block by block ("\n\n"-separated), so a one-key
    edit of a long post re-scans one paragraph, not the post.

    Exact: neither pattern can match across a blank line (no word holds a newline, and the
    name pattern needs a letter and a space right before it), so the vocabulary of the body is
    the union of its blocks'. Membership answers can be recorded (`probes`), which lets a
    cache of per-link suggestions check that the answers it relied on still hold.
    """

    def __init__(self) -> None:
        self.body: str | None = None
        self._blocks: dict[str, int] = {}
        self._lower: dict[str, int] = {}
        self._names: dict[str, int] = {}
        # Per block, its distinct lower-case words and names: tuples of interned strings
        # (a word is one object however many blocks use it): frozensets of fresh strings
        # took about 6 MB on a 1 MB post.
        self._block_words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.probes: list[tuple[str, str, bool]] | None = None

    def update(self, body: str) -> None:
        if body is self.body or body == self.body:
            return
        new: dict[str, int] = {}
        for block in body.split("\n\n"):
            new[block] = new.get(block, 0) + 1
        old = self._blocks
        for block, n in old.items():
            if new.get(block, 0) < n:
                self._count(block, new.get(block, 0) - n)
        for block, n in new.items():
            if old.get(block, 0) < n:
                self._count(block, n - old.get(block, 0))
        self._blocks = new
        self.body = body
        if len(self._block_words) > 4 * len(new) + 1000:
            self._block_words = {b: w for b, w in self._block_words.items() if b in new}

    def _count(self, block: str, delta: int) -> None:
        words = self._block_words.get(block)
        if words is None:
            words = self._block_words[block] = (
                tuple(dict.fromkeys(map(sys.intern, _LOWER_WORD.findall(block)))),
                tuple(dict.fromkeys(map(sys.intern, _NAME_WORD.findall(block)))))
        for table, found in ((self._lower, words[0]), (self._names, words[1])):
            for w in found:
                n = table.get(w, 0) + delta
                if n > 0:
                    table[w] = n
                else:
                    table.pop(w, None)

    def is_lower(self, word: str) -> bool:
        hit = word in self._lower
        if self.probes is not None:
            self.probes.append(("lower", word, hit))
        return hit

    def is_name(self, word: str) -> bool:
        hit = word in self._names
        if self.probes is not None:
            self.probes.append(("name", word, hit))
        return hit

    def holds(self, probes: list[tuple[str, str, bool]]) -> bool:
        """Whether every recorded answer is still the same."""
        lower, names = self._lower, self._names
        return all((w in (lower if k == "lower" else names)) is hit for k, w, hit in probes)


_LOCAL = threading.local()  # one Vocabulary per thread: the body it most recently asked about


def vocabulary(body: str) -> Vocabulary:
    vocab = getattr(_LOCAL, "vocab", None)
    if vocab is None:
        vocab = _LOCAL.vocab = Vocabulary()
    vocab.update(body)
    return vocab


def casing_for_body(phrase: str, body: str) -> str:
    """Lower-case title-cased words that the post itself writes in lower case ('Sourdough
    Starter' -> 'sourdough starter') and keep names ('Python', 'GitHub') as they are."""
    vocab = vocabulary(body)
    out = []
    for i, word in enumerate(phrase.split()):
        bare = word.strip("\"'()[],.:;")
        if bare.isupper() and len(bare) > 1:
            out.append(word)
        elif (
            bare[:1].isupper()
            and bare[1:].islower()
            and (
                bare.lower() in _STOP
                or vocab.is_lower(bare.lower())
                or (i == 0 and not vocab.is_name(bare))
            )
        ):
            out.append(word.replace(bare, bare.lower(), 1))
        else:
            out.append(word)
    return " ".join(out)


def page_value(page: dict | None, *keys: str) -> str | None:
    if not page:
        return None
    for key in keys:
        value = page.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
            return value[0].strip() or None
    return None


def name_from_domain(host: str) -> str | None:
    for domain, name in KNOWN_SITES.items():
        if host == domain or host.endswith("." + domain):
            return name
    reg = registrable(host)
    label = reg.split(".")[0] if reg else ""
    if label and label.isalpha() and len(label) <= 12:
        return label.capitalize()
    return None


def compute_slots(
    post: Post,
    link: Link,
    *,
    page: dict | None,
    rest: str | None,
    affiliate: bool,
    config_section: dict,
    site_domains: tuple[str, ...] = (),
) -> Slots:
    url = link.href or link.url
    host = host_of(url)
    internal = is_internal(url, site_domains)
    body = post.text[post.body_start :]

    site = page_value(page, "site_name", "og_site_name", "site")
    if not site and host and not internal:
        site = next(
            (n for d, n in KNOWN_SITES.items() if host == d or host.endswith("." + d)), None
        )
    org = page_value(page, "publisher", "organization", "organisation", "org") or site
    author = page_value(page, "author", "article_author", "creator")
    if author and (looks_like_url(author) or len(author.split()) > 5):
        author = None
    # A name like "example.com" would become a new link once rendered (linkify): drop it.
    site, org, author = (None if v and _DOMAIN_LIKE.search(v) else v for v in (site, org, author))
    raw_title = page_value(page, "title", "og_title")
    title = clean_title(raw_title, site) if raw_title else None
    if title and _DOMAIN_LIKE.search(title):
        title = None

    year = None
    for source in (
        page_value(page, "published", "published_time", "date", "year", "article_published_time"),
        link.text,
        link.context.sentence,
        url,
    ):
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", source or "")
        if m:
            year = m.group(1)
            break

    anchor_desc = None if is_vague(link) else link.text.strip()
    slug = slug_words(url)
    slug_phrase = (
        " ".join(slug) if 1 <= len(slug) <= 6 and descriptive_words(" ".join(slug)) else None
    )
    topic_candidates: list[str] = []
    heading = link.context.heading.strip(" #:?.")
    if (
        heading
        and len(heading.split()) <= 5
        and not re.match(
            r"(?i)^(?:why|how|what|when|where|who|which|is|are|do|does|can|should|introduction|"
            r"conclusion|summary|references|sources|further reading|links|resources|faq|notes)\b",
            heading,
        )
    ):
        topic_candidates.append(casing_for_body(heading, body))
    if slug_phrase and len(slug) >= 2:
        topic_candidates.append(slug_phrase)
    if title:
        short = short_phrase(title, 1, 5)
        if short:
            topic_candidates.append(casing_for_body(short, body))
    if post.title and len(post.title.split()) <= 5:
        topic_candidates.append(casing_for_body(post.title.strip(" #"), body))
    if anchor_desc and len(anchor_desc.split()) <= 6:
        topic_candidates.append(casing_for_body(anchor_desc, body))

    term = None
    if anchor_desc and len(anchor_desc.split()) <= 4:
        term = casing_for_body(anchor_desc, body)
    elif slug_phrase and len(slug) <= 4:
        term = slug_phrase
    elif title and len(title.split()) <= 4:
        term = casing_for_body(title, body)

    partner = site or (name_from_domain(host) if host and not internal else None)
    if affiliate:
        disclosure = str(
            config_section.get(
                "disclosure_affiliate",
                "affiliate link: I earn a commission if you buy, at no extra cost to you",
            )
        )
    else:
        disclosure = str(
            config_section.get("disclosure", "not an affiliate link, and not sponsored")
        )

    return Slots(
        {
            "title": title,
            "site": site,
            "org": org,
            "author": author,
            "year": year,
            "domain": registrable(host) if host and not internal else None,
            "topic_candidates": None,
            "term": term,
            "partner": partner,
            "disclosure": disclosure,
            "heading": link.context.heading.strip() or None,
            "rest": rest,
            "_topics": "\x1f".join(dict.fromkeys(t for t in topic_candidates if t)) or None,
            "_slug": slug_phrase,
        }
    )


def pick_topic(slots: Slots, anchor: str) -> str | None:
    """The first topic that does not just repeat the anchor ('see [sourdough] on sourdough')."""
    raw = slots.get("_topics")
    if not raw:
        return None
    anchor_words = {w.lower() for w in descriptive_words(anchor)}
    for topic in raw.split("\x1f"):
        words = {w.lower() for w in descriptive_words(topic)}
        if words and not words <= anchor_words:
            return topic
    return None
