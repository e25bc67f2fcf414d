"""Relevance verdicts for a post's links: off-topic-link, anchor-mismatch, slug-mismatch,
off-topic-for-post, and the document summary.

Only what can be judged fairly is judged: a page in another language than the writer's text, an
empty or non-HTML page, or a paragraph with too few words gives "not judged", never a warning,
because a false alarm costs the writer's trust more than a miss.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from linkwriter.core.config import Config
from linkwriter.core.model import Finding, Fix, Link, LinkKind
from linkwriter.core.paragraph_reads import note, paragraph_of
from linkwriter.core.post import Post
from linkwriter.core.relevance.anchors import escape_label, propose_anchor
from linkwriter.core.relevance.backends import Backend, get_backend
from linkwriter.core.relevance.pageinfo import PageInfo
from linkwriter.core.relevance.rules import (
    ANCHOR_MISMATCH,
    OFF_TOPIC_FOR_POST,
    OFF_TOPIC_LINK,
    RULES_BY_ID,
    SLUG_MISMATCH,
)
from linkwriter.core.relevance.scoring import (
    GENERIC_WEIGHT,
    PageProfile,
    Query,
    build_query,
    cached_profile,
    score,
    term_pairs,
)
from linkwriter.core.relevance.slug import slug_words
from linkwriter.core.relevance.summary import (
    NOT_JUDGED,
    OFF_TOPIC,
    ON_TOPIC,
    UNCHECKED,
    LinkRelevance,
    RelevanceSummary,
)
from linkwriter.core.relevance.text import (
    LANGUAGES,
    detect_language,
    latin_share,
    stop_words,
    unique,
)
from linkwriter.core.relevance.weights import term_weight
from linkwriter.core.urlparts import split_url

POST_KEY_TERMS = 15
TOPICAL_WEIGHT = 0.5  # background weight from which a word names a topic (not "guide", "page")
CONTEXT_CHARS = 600  # longer "paragraphs" (lists, tables) are cut to a window around the link
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "nl": "Dutch",
    "it": "Italian", "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "ru": "Russian", "uk": "Ukrainian", "ja": "Japanese", "zh": "Chinese", "ko": "Korean",
    "ar": "Arabic", "tr": "Turkish",
}

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_FENCE_LINE = re.compile(r"^(```|~~~)", re.M)  # a fence left open: the sample cut it
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_DEST = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_TAG = re.compile(r"<[^>\n]+>")
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.)\S*$", re.I)


def _prose(post: Post) -> str:
    """The post body as prose: no code, link destinations, definitions or tags."""
    return _prose_of(post.text[post.body_start :])


# Body characters the post's language is guessed from. The guess reads only the first 400
# words of prose, and making prose of a whole 1 MB post takes 60 ms of every analysis.
LANGUAGE_SAMPLE = 20_000


def post_language_of(post: Post) -> str:
    """The post's language, from the prose of its opening (cut at a paragraph break); from
    the whole body when a code fence runs past the cut or the opening holds little prose."""
    body = post.text[post.body_start :]
    if len(body) > LANGUAGE_SAMPLE:
        cut = body.rfind("\n\n", 0, LANGUAGE_SAMPLE)
        sample = _FENCE.sub(" ", body[: cut if cut > 0 else LANGUAGE_SAMPLE])
        if not _FENCE_LINE.search(sample):
            prose = _unfenced_prose(sample)
            if len(prose) >= LANGUAGE_SAMPLE // 4:
                return post_language(prose)
    return post_language(_prose_of(body))


def _prose_of(text: str) -> str:
    return _unfenced_prose(_FENCE.sub(" ", text))


def _unfenced_prose(text: str) -> str:
    text = _INLINE_CODE.sub(" ", text)
    text = _LINK_DEST.sub("] ", text)
    return _TAG.sub(" ", text)


def post_key_terms(post: Post, lang: str) -> tuple[dict[str, float], dict[str, str]]:
    """The post's own key terms: frequent, rare-in-general words, title and headings first."""
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    boost: dict[str, float] = {}
    for text, weight in ((post.title, 3.0), (" \n".join(h.text for h in post.headings), 1.5)):
        for s, word in term_pairs(text, lang):
            surface.setdefault(s, word)
            boost[s] = max(boost.get(s, 0.0), weight)
    for s, word in term_pairs(_prose(post), lang):
        surface.setdefault(s, word)
        counts[s] += 1
    scored: dict[str, float] = {}
    # Reading order (title, headings, body), not set order: ties then rank the same way on
    # every run, whatever the interpreter's hash seed.
    for s in dict.fromkeys([*boost, *counts]):
        tf = counts.get(s, 0)
        if tf < 2 and s not in boost:
            continue  # a single passing mention is not what the post is about
        scored[s] = (boost.get(s, 0.0) + min(tf, 12) ** 0.5) * term_weight(s, lang)
    top = dict(sorted(scored.items(), key=lambda kv: -kv[1])[:POST_KEY_TERMS])
    return top, surface


def _window(paragraph: str, anchor: str, size: int = 0) -> str:
    """The paragraph, or for a very long block (a list of hundreds of links) the text around
    the anchor: far-away lines are not this link's context, and scanning them is quadratic."""
    size = size or CONTEXT_CHARS
    if len(paragraph) <= CONTEXT_CHARS:
        return paragraph
    at = paragraph.find(anchor) if anchor else -1
    if at < 0:
        return paragraph[:size]
    half = size // 2
    start = max(0, at - half)
    return paragraph[start : at + len(anchor) + half]


def _topic_phrase(anchor: str, lang: str) -> str:
    """The anchor without leading or trailing function words ("the seeds" -> "seeds"), if it is
    short enough to quote as what the text is about."""
    tokens = anchor.split()
    stops = stop_words(lang) or stop_words("en")

    def is_stop(token: str) -> bool:
        return token.casefold().strip(".,;:!?()[]'\"") in stops

    while tokens and is_stop(tokens[0]):
        tokens.pop(0)
    while tokens and is_stop(tokens[-1]):
        tokens.pop()
    if not tokens or len(tokens) > 4:
        return ""
    phrase = " ".join(tokens)
    return phrase if phrase.isupper() else phrase.casefold()


def _quote_terms(items: list[str]) -> str:
    return "'" + ", ".join(items) + "'"


def _anchor_text(link: Link) -> str:
    text = link.text.strip()
    if link.kind in (LinkKind.AUTOLINK, LinkKind.BARE) or _URLISH.match(text):
        return ""
    return text


def _page_for(link: Link, pages: Mapping[str, PageInfo]) -> PageInfo | None:
    for key in (link.href, link.url, link.url.strip("<>")):
        page = pages.get(key)
        if page is not None:
            return page
    return None


def _finding(rule: str, link: Link, index: int, message: str, data: dict,
             fixes: tuple[Fix, ...] = ()) -> Finding:
    info = RULES_BY_ID[rule]
    return Finding(
        rule=rule,
        category=info.category,
        severity=info.severity,
        message=message,
        start=link.start,
        end=link.end,
        fixes=fixes,
        link_index=index,
        data=data,
    )


def post_language(prose: str) -> str:
    """The language a post is judged in: its confident guess, else English."""
    guess = detect_language(prose)
    return guess.lang if guess.lang and guess.confidence >= 0.2 else "en"


def link_language(link: Link, post_lang: str, config: Config) -> str:
    """The language of the text around a link (its paragraph's, when clear), in which the
    link's page is reduced to terms."""
    context = link.context.paragraph or link.context.sentence
    guess = detect_language(context)
    if guess.lang and guess.confidence >= config.threshold("relevance-language-confidence"):
        lang = guess.lang
    else:
        lang = post_lang
    note("lang", lang)  # all a verdict takes from the paragraph here (core.paragraph_reads)
    return lang


def judged_links(post: Post) -> Iterator[tuple[int, Link]]:
    """The links relevance judges: page links (no images, no mailto: or tel:)."""
    for index, link in enumerate(post.links):
        if judgeable(link):
            yield index, link


def judgeable(link: Link) -> bool:
    """Whether relevance judges this link: not images, not mailto:, tel:, ... (not pages about
    anything), not URLs too malformed to split (the trust rules report those)."""
    if link.is_image or link.kind is LinkKind.IMAGE:
        return False
    try:
        scheme = urlsplit(link.href or link.url).scheme.lower()
    except ValueError:  # "http://[broken": malformed-url says so
        return False
    return scheme in ("http", "https", "")


class _Judge:
    def __init__(self, post: Post, pages: Mapping[str, PageInfo], config: Config) -> None:
        self.post = post
        self.pages = pages
        self.config = config
        self.backend: Backend = get_backend(config)
        self._prose: str | None = None
        self.lang = post_language_of(post)
        self._key_terms: tuple[dict[str, float], dict[str, str]] | None = None
        self._post_words: int | None = None
        self.post_facts_used = False  # whether a verdict read the post's key terms or length
        self._profiles: dict[tuple[int, str], PageProfile] = {}
        self._post_query: Query | None = None
        self.findings: list[Finding] = []

    # The post's key terms and length are costly on a long post and matter only to links
    # whose page was fetched: computed on first use (and noted, for callers that cache).
    def _post_terms(self) -> tuple[dict[str, float], dict[str, str]]:
        self.post_facts_used = True
        if self._key_terms is None:
            self._key_terms = post_key_terms(self.post, self.lang)
        return self._key_terms

    @property
    def key_terms(self) -> dict[str, float]:
        return self._post_terms()[0]

    @property
    def key_surface(self) -> dict[str, str]:
        return self._post_terms()[1]

    @property
    def post_words(self) -> int:
        self.post_facts_used = True
        if self._post_words is None:
            if self._prose is None:
                self._prose = _prose(self.post)
            self._post_words = len(self._prose.split())
        return self._post_words

    def t(self, name: str) -> float:
        return self.config.threshold(name)

    def profile(self, page: PageInfo, lang: str) -> PageProfile:
        key = (id(page), lang)
        hit = self._profiles.get(key)
        if hit is None:
            hit = self._profiles[key] = cached_profile(page, lang)
        return hit

    def text_lang(self, link: Link) -> str:
        return link_language(link, self.lang, self.config)

    def other_language(self, profile: PageProfile, page: PageInfo, lang: str,
                       context: str) -> str:
        """The page's language when it differs from the text's, else "" (then it is judged).

        Trusts a confident stop-word guess first; otherwise the page's declared language or,
        for scripts without our stop-word lists (Japanese, Russian, ...), its alphabet."""
        threshold = self.t("relevance-language-confidence")
        if profile.lang and profile.lang != lang and profile.lang_confidence >= threshold:
            return LANGUAGE_NAMES.get(profile.lang, profile.lang)
        if profile.lang == lang and profile.lang_confidence >= threshold:
            return ""
        declared = page.lang.replace("_", "-").split("-", 1)[0].strip().lower()
        if declared and declared != lang:
            return LANGUAGE_NAMES.get(declared, f"another language ({declared})")
        if (profile.latin < 0.5) != (latin_share(context) < 0.5):
            return "another script"
        return ""

    def run(self) -> RelevanceSummary:
        summary = RelevanceSummary(
            lang=self.lang,
            key_terms=[self.key_surface.get(s, s) for s in self.key_terms],
        )
        for index, link in judged_links(self.post):
            summary.links.append(self.judge_link(index, link))
        summary.findings = self.findings
        return summary

    def judge_link(self, index: int, link: Link) -> LinkRelevance:
        lang = self.text_lang(link)
        ctx = link.context

        def query_of() -> Query:
            """The writer's side, made only when a verdict needs it: most of a link's cost,
            and most links (offline, no descriptive URL words) never look at it."""
            return build_query(
                anchor=_anchor_text(link),
                sentence=_window(ctx.sentence, link.text, CONTEXT_CHARS // 3),
                paragraph=_window(paragraph_of(ctx), link.text),
                heading=ctx.heading,
                lang=lang,
            )

        result = LinkRelevance(index, link.href or link.url, UNCHECKED, text_lang=lang,
                               backend=self.backend.name)
        page = _page_for(link, self.pages)
        if page is None:
            result.reason = "no page data (offline or not fetched)"
            self.check_slug(index, link, lang, query_of)
            return result
        result.page_title = page.display_title
        if page.status is not None and page.status >= 400:
            result.verdict, result.reason = NOT_JUDGED, f"page answered HTTP {page.status}"
            return result
        if not page.is_html or not page.has_content:
            result.verdict, result.reason = NOT_JUDGED, "page has no readable text"
            return result
        query = query_of()
        profile = self.profile(page, lang)
        result.page_lang = profile.lang
        lexical = score(query, profile)
        result.score = self.backend.score(query, profile, page, ctx, lexical)
        result.shared = query.words(lexical.shared)
        result.missing = query.words(lexical.missing)
        other = self.other_language(profile, page, lang, paragraph_of(ctx) or ctx.sentence)
        if other:
            result.verdict = NOT_JUDGED
            result.reason = f"page is in {other}, the text in {LANGUAGE_NAMES.get(lang, lang)}"
            return result
        if profile.n_terms < self.t("relevance-min-page-terms"):
            # A title-only page ("Loading…", a script-rendered app shell) says too little.
            result.verdict, result.reason = NOT_JUDGED, "page has too little text to judge"
            return result
        informative = [s for s in query.weights if term_weight(s, lang) >= GENERIC_WEIGHT]
        if len(informative) < self.t("relevance-min-terms"):
            result.verdict, result.reason = NOT_JUDGED, "too few topic words around the link"
            return result
        if result.score < self.backend.threshold(self.config):
            result.verdict = OFF_TOPIC
            self.off_topic(index, link, page, query, list(lexical.missing), result)
            return result
        result.verdict = ON_TOPIC
        self.check_anchor(index, link, page, profile, query, _anchor_text(link), result)
        self.check_post(index, link, page, profile, lang, result)
        return result

    # -- verdicts ---------------------------------------------------------------------------

    def off_topic(self, index: int, link: Link, page: PageInfo, query: Query,
                  missing: list[str], result: LinkRelevance) -> None:
        items: list[str] = []
        phrase = _topic_phrase(_anchor_text(link), query.lang)
        topical = [s for s in query.anchor if term_weight(s, query.lang) >= TOPICAL_WEIGHT]
        if phrase and topical and all(s in missing for s in query.anchor if s in query.weights):
            items.append(phrase)
            missing = [s for s in missing if s not in query.anchor]
        strong_missing = [s for s in missing if term_weight(s, query.lang) >= TOPICAL_WEIGHT]
        items += query.words((strong_missing or missing)[: max(0, 3 - len(items))])
        items = unique(items)[:3] or result.missing[:3]
        title = page.display_title
        lacks = {1: "does not mention it", 2: "mentions neither"}.get(
            len(items), "mentions none of them"
        )
        message = (
            f"Your text is about {_quote_terms(items)}; '{title}' {lacks}. "
            "A link should lead where its words promise, for readers and for search ranking: "
            "check the URL or link a page about this topic."
        )
        data = {
            "score": result.score,
            "threshold": self.backend.threshold(self.config),
            "shared": result.shared,
            "missing": result.missing,
            "page_title": title,
        }
        self.findings.append(_finding(OFF_TOPIC_LINK, link, index, message, data))

    def check_anchor(self, index: int, link: Link, page: PageInfo, profile: PageProfile,
                     query: Query, anchor: str, result: LinkRelevance) -> None:
        if not anchor or result.score is None:
            return
        if result.score < self.t("anchor-mismatch-score"):
            return  # the paragraph itself must clearly fit the page
        # Only an anchor with topic words promises something ("this guide" or "read more" do
        # not); any of its words in the title, description or headings keeps the promise.
        topical = [s for s in query.anchor if term_weight(s, query.lang) >= TOPICAL_WEIGHT]
        if not topical or any(s in profile.strong for s in query.anchor):
            return
        proposal = propose_anchor(page)
        fixes: tuple[Fix, ...] = ()
        editable = link.ref_style not in ("collapsed", "shortcut") and link.kind in (
            LinkKind.INLINE, LinkKind.REFERENCE, LinkKind.HTML,
        )
        if proposal and editable and link.label_end > link.label_start:
            fixes = (
                Fix(
                    title=f"Use the page's title as anchor: '{proposal}'",
                    start=link.label_start,
                    end=link.label_end,
                    replacement=(
                        html.escape(proposal, quote=False)
                        if link.kind is LinkKind.HTML
                        else escape_label(proposal)
                    ),
                ),
            )
        words = query.words(topical)
        message = (
            f"The anchor '{anchor}' promises {_quote_terms(words)}, but the title, description "
            f"and headings of '{page.display_title}' do not mention it. Readers decide whether "
            "to click from "
            "the anchor alone, so name what the page is about"
            + (f", for example '{proposal}'." if proposal else ".")
        )
        data = {"anchor_terms": words, "page_title": page.display_title, "proposal": proposal}
        self.findings.append(_finding(ANCHOR_MISMATCH, link, index, message, data, fixes))

    def check_post(self, index: int, link: Link, page: PageInfo, profile: PageProfile,
                   lang: str, result: LinkRelevance) -> None:
        if lang != self.lang or self.post_words < self.t("relevance-post-min-words"):
            return
        if len(self.key_terms) < 5:
            return
        if self._post_query is None:  # the same for every link of the post
            self._post_query = Query(lang, dict(self.key_terms), self.key_surface,
                                     frozenset(self.key_terms))
        post_score = score(self._post_query, profile)
        result.post_score = post_score.score
        if post_score.coverage >= self.t("off-topic-for-post-score"):
            return
        top = [self.key_surface.get(s, s) for s in list(self.key_terms)[:3]]
        message = (
            f"'{page.display_title}' fits its sentence but not the post, which is about "
            f"{_quote_terms(top)}. Links that stray from the topic dilute what readers and "
            "search engines take the post to be about; consider whether it belongs here."
        )
        data = {"post_score": post_score.coverage, "post_terms": top}
        self.findings.append(_finding(OFF_TOPIC_FOR_POST, link, index, message, data))

    def check_slug(self, index: int, link: Link, lang: str,
                   query_of: Callable[[], Query]) -> None:
        """Offline verdict from the URL's own words; silent for ids, hashes and bare domains."""
        slug = slug_words(link.href or link.url)
        if not slug.descriptive or _names_an_item(link) or not _has_slug(link.href or link.url):
            return
        slug_terms = [s for s, _ in term_pairs(" ".join(slug.path_words), lang)]
        slug_terms = [s for s in slug_terms if len(s) >= 3]
        if len(slug_terms) < self.t("slug-min-words"):
            return
        query = query_of()
        context = set(query.context)
        if len(context) < self.t("relevance-min-terms"):
            return
        for s in slug_terms:
            if s in context or any(
                len(c) >= 4 and len(s) >= 4 and (c.startswith(s) or s.startswith(c))
                for c in context
            ):
                return
        if _is_acronym_of(link.text, slug.path_words):
            return  # "ABI" for /wiki/Application_binary_interface
        # A domain that names the topic ("sourdoughclub.example") also counts as shared.
        for label in slug.domain_labels:
            if any(len(c) >= 4 and c in label for c in context):
                return
        if lang not in LANGUAGES:
            return
        slug_text = " ".join(slug.path_words)
        context_words = query.words(list(query.weights)[:3])
        message = (
            f"The URL's words ('{slug_text}') share nothing with the link's text "
            f"({_quote_terms(context_words)}). Checked offline from the URL alone: make sure "
            "this is the page you meant."
        )
        data = {"slug_words": list(slug.path_words), "context_terms": context_words}
        self.findings.append(_finding(SLUG_MISMATCH, link, index, message, data))


_ID_TOKEN = re.compile(r"[\w.-]*\d[\w.-]*")


def _names_an_item(link: Link) -> bool:
    """Anchors like "#23056", "CVE-2021-44531" or "v18.2.0" cite an item by its id: the slug
    names the project, not the topic, and a mismatch says nothing."""
    text = link.text.strip()
    if sum(c.isalpha() for c in text) < 3 or "://" in text or text.lower().startswith("www."):
        return True
    url = (link.href or link.url).lower()
    return any(tok.lower().strip(".-") in url for tok in _ID_TOKEN.findall(text) if len(tok) >= 2)


def _has_slug(url: str) -> bool:
    """Only a real slug, the last path segment written as words ("sourdough-starter-guide"),
    says what a page is about; owner/repo paths, ids and "/edit" say where it lives."""
    path = split_url(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    last = re.sub(r"\.[a-z0-9]{1,5}$", "", last, flags=re.I)
    words = [w for w in re.split(r"[-_+]+", unquote(last)) if w]
    return len(words) >= 2 and sum(w.isalpha() and len(w) >= 3 for w in words) >= 2


def _is_acronym_of(anchor: str, slug_words: Sequence[str]) -> bool:
    letters = anchor.strip()
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    initials = "".join(w[0] for w in slug_words if w).upper()
    return letters in initials


def relevance_report(post: Post, pages: Mapping[str, PageInfo], config: Config) -> RelevanceSummary:
    """Judge every link of the post against its page metadata (keyed by URL as written or
    as rendered) and summarise the post's topic and how many links fit it."""
    return _Judge(post, pages, config).run()


def relevance_findings(post: Post, pages: Mapping[str, PageInfo], config: Config) -> list[Finding]:
    return relevance_report(post, pages, config).findings


def relevance_provider(
    pages: Mapping[str, PageInfo],
) -> Callable[[Post, Config], list[Finding]]:
    """A provider for linkwriter.core.analysis.analyze(): relevance with these pages."""

    def provide(post: Post, config: Config) -> list[Finding]:
        return relevance_findings(post, pages, config)

    return provide
