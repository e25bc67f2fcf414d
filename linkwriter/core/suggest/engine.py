"""Turn a link into 3–5 ranked, ready-to-apply lead-in edits (Fix objects)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from linkwriter.core.config import Config
from linkwriter.core.model import Fix, Link, LinkKind
from linkwriter.core.post import Post
from linkwriter.core.suggest.intents import Cue, Intent, IntentResult, classify
from linkwriter.core.suggest.natural import LINK_CLOSE, LINK_OPEN, lower_first, naturalise
from linkwriter.core.suggest.sentence import (
    MAX_SENTENCE,
    Surroundings,
    link_segment,
    links_near,
    surroundings,
)
from linkwriter.core.suggest.slots import (
    Slots,
    anchor_editable,
    compute_slots,
    descriptive_words,
    is_vague,
    pick_topic,
    short_phrase,
)
from linkwriter.core.suggest.templates import (
    DISCLOSURE_RE,
    SPONSORED_RE,
    Template,
    TemplateSet,
    load_templates,
)
from linkwriter.core.suggest.urls import host_of

REST_OPEN, REST_CLOSE = "\ue002", "\ue003"
_WORDS_RE = re.compile(r"[^\W_]")
MAX_SUGGESTIONS, MIN_SUGGESTIONS = 5, 3

# Anchor when the writer's is vague and no page title or slug helps: named for what it is.
_FALLBACK_ANCHORS: dict[Intent, tuple[str, ...]] = {
    Intent.CITATION: (
        "{org}'s {year} report",
        "{org}'s report",
        "the original {topic} data",
        "the original source",
    ),
    Intent.FURTHER_READING: (
        "{title}",
        "this guide to {topic}",
        "a guide to {topic}",
        "a longer article on {topic}",
    ),
    Intent.DEFINITION: ("{site}'s definition of {term}", "a definition of {term}"),
    Intent.TOOL: ("{site}'s free tool", "the {topic} tool", "the free tool"),
    Intent.PRODUCT: ("{title}", "the product page"),
    Intent.PARTNER: ("{partner}'s offer", "our partner's page"),
    Intent.DOCUMENTATION: ("the official {topic} docs", "the official documentation"),
    Intent.COUNTERPOINT: (
        "{author}'s counterargument",
        "the case against {topic}",
        "the counterargument",
    ),
    Intent.INTERNAL: ("my post on {topic}", "my earlier post"),
    Intent.SPONSORED: ("{partner}'s offer", "the sponsor's offer"),
}
_STOPWORDS_LOWER = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "there",
        "here",
        "my",
        "our",
        "your",
        "their",
        "most",
        "many",
        "some",
        "all",
        "every",
        "each",
        "one",
        "two",
        "three",
        "new",
        "old",
        "more",
        "less",
        "few",
        "several",
    ]
)


@dataclass(frozen=True, slots=True)
class LinkSuggestions:
    intent: Intent
    cues: tuple[Cue, ...]
    suggestions: list[Fix] = field(default_factory=list)
    affiliate: bool = False
    link_index: int = -1
    source: str = "templates"  # or "ai" when the optional backend supplied the first ones

    def to_dict(self) -> dict:
        return {
            "intent": self.intent.value,
            "cues": [str(c) for c in self.cues],
            "affiliate": self.affiliate,
            "source": self.source,
            "suggestions": [
                {"text": f.title, "start": f.start, "end": f.end, "replacement": f.replacement}
                for f in self.suggestions
            ],
        }


@lru_cache(maxsize=1)
def _default_templates() -> TemplateSet:
    return load_templates()


def reload_templates() -> None:
    """Forget cached templates (after the writer edits their template folder)."""
    _default_templates.cache_clear()


def site_domains(config: Config, post: Post | None = None) -> tuple[str, ...]:
    """The writer's own domains: [suggestions] site/site_domains, or the post's front matter url."""
    section = config.section("suggestions")
    out: list[str] = []
    for key in ("site", "site_domains", "own_domains"):
        value = section.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [v for v in value if isinstance(v, str)]
    if post is not None:
        for key in ("url", "canonical", "canonical_url", "permalink"):
            if post.front_matter.get(key):
                out.append(post.front_matter[key])
    return tuple(dict.fromkeys(h for h in (host_of(d) or d.lower().strip("/ ") for d in out) if h))


def classify_link(
    post: Post, index: int, config: Config | None = None, pages: dict[str, dict] | None = None
) -> IntentResult:
    config = config or Config()
    link = post.links[index]
    page = _page_for(link, pages)
    # Other links' anchors in the same sentence describe *their* targets, not this one.
    sentence = link.context.sentence
    if len(sentence) > MAX_SENTENCE:  # a huge line: judge by the words near the link
        at = max(0, sentence.find(link.text)) if link.text else 0
        sentence = sentence[max(0, at - 300) : at + 300]
    s0, e0 = link.context.sentence_start, link.context.sentence_end
    near = links_near(post, s0, e0) if 0 <= s0 <= e0 else ()
    for other in near:
        if other is link or not other.text or other.text == link.text:
            continue
        o_s, o_e = link_segment(post.text, other)
        if o_s < e0 and o_e > s0 and other.text in sentence:  # in the sentence, not before
            sentence = sentence.replace(other.text, " ", 1)
    return classify(
        link,
        sentence=sentence,
        heading=link.context.heading,
        config=config,
        page=page,
        site_domains=site_domains(config, post),
    )


def _page_for(link: Link, pages: dict[str, dict] | None) -> dict | None:
    if not pages:
        return None
    for key in (link.url, link.href, link.url.strip()):
        page = pages.get(key)
        if isinstance(page, dict):
            return page
    return None


def suggest_for_link(
    post: Post,
    index: int,
    config: Config | None = None,
    pages: dict[str, dict] | None = None,
    *,
    templates: TemplateSet | None = None,
    use_ai: bool = True,
) -> LinkSuggestions:
    """Intent, its cues, and 3–5 ranked sentence edits for post.links[index]."""
    config = config or Config()
    link = post.links[index]
    result = classify_link(post, index, config, pages)
    if link.kind is LinkKind.IMAGE or link.is_image:
        return LinkSuggestions(result.intent, result.cues, [], result.affiliate, index)
    templates = templates or _default_templates()
    sur = surroundings(post, link)
    page = _page_for(link, pages)
    section = config.section("suggestions")
    slots = compute_slots(
        post,
        link,
        page=page,
        rest=sur.rest,
        affiliate=result.affiliate,
        config_section=section,
        site_domains=site_domains(config, post),
    )
    fixes = _rank(post, link, sur, slots, result, templates)
    source = "templates"
    if use_ai:
        from linkwriter.core.suggest.ai import ai_suggestions

        extra = ai_suggestions(post, link, sur, result, config)
        if extra:
            fixes = extra + [
                f for f in fixes if f.replacement not in {e.replacement for e in extra}
            ]
            source = "ai"
    return LinkSuggestions(
        result.intent, result.cues, fixes[:MAX_SUGGESTIONS], result.affiliate, index, source
    )


def _rank(
    post: Post,
    link: Link,
    sur: Surroundings,
    slots: Slots,
    result: IntentResult,
    templates: TemplateSet,
) -> list[Fix]:
    if sur.rest_at == "mid" and link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return _mentions(post, link, sur, slots, result)
    intents = [i for i in result.ranked() if templates.for_intent(i)]
    scored: list[tuple[float, int, Fix]] = []
    seen: set[str] = set()
    original = post.text[sur.span_start : sur.span_end]
    order = 0
    for rank, intent in enumerate(intents[:3]):
        factor = 1.0 if rank == 0 else 0.45 / rank
        for template in templates.for_intent(intent):
            fix = render(post, link, sur, slots, template, result)
            if fix is None or fix.replacement in seen or fix.replacement == original:
                continue
            seen.add(fix.replacement)
            score = template.weight * factor
            if "rest" in template.fields:
                score += 0.6  # keeps the writer's own words in one sentence
            score += 0.08 * len(template.fields & {"title", "org", "year", "author", "site"})
            if sur.rest_at == "mid":
                score -= 0.3
            scored.append((score, order, fix))
            order += 1
        if rank == 0 and len(scored) >= MAX_SUGGESTIONS:
            break
    swap = _anchor_swap(post, link, sur, slots, result)
    if swap is not None and swap.replacement not in seen:
        # Keeping the writer's sentence and naming the target is the least intrusive edit; it
        # leads when the sentence already says why (the link sits inside a clause).
        scored.append((3.0 if sur.rest_at == "mid" else 1.0, -1, swap))
    disclose = _disclosure_note(post, link, sur, slots, result)
    if disclose is not None and disclose.replacement not in seen:
        # The writer's sentence is fine; what it lacks is the disclosure. Say only that.
        scored.append((3.5 if sur.rest_at == "mid" else 1.2, -2, disclose))
    scored.sort(key=lambda t: (-t[0], t[1]))
    primary = [f for _, _, f in scored]
    if len(primary) < MIN_SUGGESTIONS and link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        # A URL cannot be capitalised or reworded; naming it in place always works.
        known = {f.replacement for f in primary}
        primary += [
            f for f in _mentions(post, link, sur, slots, result) if f.replacement not in known
        ]
    return primary[:MAX_SUGGESTIONS]


def _disclosure_note(
    post: Post, link: Link, sur: Surroundings, slots: Slots, result: IntentResult
) -> Fix | None:
    """The writer's own sentence with a disclosure added before its end punctuation."""
    original = post.text[sur.span_start : sur.span_end]
    if sur.capped:
        return None
    if result.intent is Intent.SPONSORED:  # "sponsored" also counts as a disclosure
        if SPONSORED_RE.search(_plain_markdown(original)):
            return None
        note = "sponsored"
    elif result.intent is Intent.PRODUCT or result.affiliate:
        if DISCLOSURE_RE.search(_plain_markdown(original)):
            return None
        note = slots.get("disclosure") or "affiliate link"
    elif result.intent is Intent.PARTNER:
        if re.search(r"\bpartner", _plain_markdown(original), re.I):
            return None
        note = "partner link"
    else:
        return None
    m = re.search(r"[.!?…]+[)\"'”’]*\s*$", original)
    at = m.start() if m else len(original)
    if at < sur.seg_end - sur.span_start:
        return None  # the sentence ends inside the link (no punctuation after it): keep it simple
    replacement = f"{original[:at]} ({note}){original[at:] if m else '.'}"
    title = _plain_markdown(replacement)
    return Fix(title=title, start=sur.span_start, end=sur.span_end, replacement=replacement)


# What to write outside the link when a vague anchor is replaced in place.
_SWAP_LEAD = [
    (re.compile(r"^(?:click|tap|go|look)(?: (?:here|this|on this|this link))?$"), "see "),
    (re.compile(r"^(?:right )?here$"), "in "),
    (re.compile(r"^(?:read|see|learn|find out) more(?: here)?$"), "read "),
]


def _anchor_swap(
    post: Post, link: Link, sur: Surroundings, slots: Slots, result: IntentResult
) -> Fix | None:
    """Same sentence, vague anchor replaced: 'click here' -> 'see [descriptive words]'."""
    from linkwriter.core.suggest.slots import normalise_anchor

    if not (is_vague(link) and anchor_editable(link, post.text)):
        return None
    values: dict[str, str | None] = dict(slots.values)
    values["topic"] = pick_topic(slots, "")
    anchor = choose_anchor(link, None, result.intent, values, slots, post.text)
    if not anchor:
        return None
    text = post.text
    before = text[sur.span_start : sur.seg_start]
    after = text[sur.seg_end : sur.span_end]
    lead = ""
    norm = normalise_anchor(link.text)
    for pattern, words in _SWAP_LEAD:
        if pattern.match(norm):
            lead = words
            break
    if lead.strip() and re.search(r"\b(?:see|in|read)\s*$", before, re.I):
        lead = ""  # "see [here]" already has its verb
    at_start = not before.strip() or re.search(r"[.!?]\s*$", before)
    if at_start:
        lead = lead[:1].upper() + lead[1:] if lead else ""
        if not lead:
            anchor = anchor[:1].upper() + anchor[1:]
    link_md = link_markdown(post, link, sur, anchor)
    if result.intent is Intent.PRODUCT or result.affiliate:
        note = slots.get("disclosure") or "affiliate link"
        if not DISCLOSURE_RE.search(before + after):
            after = re.sub(r"([.!?]*)$", lambda m: f" ({note}){m.group(1) or '.'}", after, count=1)
    if result.intent is Intent.SPONSORED and not SPONSORED_RE.search(before + after):
        after = re.sub(r"([.!?]*)$", lambda m: f" (sponsored){m.group(1) or '.'}", after, count=1)
    replacement = f"{before}{lead}{link_md}{after}"
    title = _plain_markdown(f"{before}{lead}{anchor}{after}")
    return Fix(title=title, start=sur.span_start, end=sur.span_end, replacement=replacement)


def _mentions(
    post: Post, link: Link, sur: Surroundings, slots: Slots, result: IntentResult
) -> list[Fix]:
    """A bare URL inside a clause: name it in place ('the Acme sign-up page (https://…)').

    The URL is the only wording there, so restructuring would lose the writer's words;
    naming the target just before it is the smallest edit that gives the reader a reason.
    """
    text = post.text
    values: dict[str, str | None] = dict(slots.values)
    values["topic"] = pick_topic(slots, "")
    phrases: list[str] = []
    if values.get("title"):
        short = short_phrase(values["title"] or "")
        if short:
            phrases.append(short)
    if slots.get("_slug"):
        phrases.append(slots.get("_slug") or "")
    for intent in result.ranked()[:3]:
        for pattern in _FALLBACK_ANCHORS.get(intent, ()):
            filled = _fill(pattern, values)
            if filled:
                phrases.append(filled)
    seg = text[sur.seg_start : sur.seg_end]
    before = text[sur.span_start : sur.seg_start]
    after = text[sur.seg_end : sur.span_end]
    fixes: list[Fix] = []
    for phrase in dict.fromkeys(p.strip() for p in phrases if p.strip()):
        if not 2 <= len(phrase.split()) <= 6 or is_vague_text(phrase):
            continue
        note = ""
        if result.intent is Intent.PRODUCT or result.affiliate:
            note = f"; {values.get('disclosure') or 'affiliate link'}"
        elif result.intent is Intent.SPONSORED:
            note = "; sponsored"
        lead = phrase if before.strip() else phrase[:1].upper() + phrase[1:]
        replacement = f"{before}{lead} ({seg}{note}){after}"
        title = _plain_markdown(f"{before}{lead} ({link.url}{note}){after}")
        fixes.append(
            Fix(title=title, start=sur.span_start, end=sur.span_end, replacement=replacement)
        )
        if len(fixes) == MAX_SUGGESTIONS:
            break
    for phrase in ("the linked page", "the source page", "the web page"):  # a floor of 3
        if len(fixes) >= MIN_SUGGESTIONS:
            break
        lead = phrase if before.strip() else phrase[:1].upper() + phrase[1:]
        fixes.append(
            Fix(
                title=_plain_markdown(f"{before}{lead} ({link.url}){after}"),
                start=sur.span_start,
                end=sur.span_end,
                replacement=f"{before}{lead} ({seg}){after}",
            )
        )
    return fixes


def _fill(pattern: str, values: dict[str, str | None]) -> str | None:
    try:
        names = {n for n in re.findall(r"\{(\w+)\}", pattern)}
        if any(not values.get(n) for n in names):
            return None
        return pattern.format(**{n: values[n] for n in names})
    except (KeyError, IndexError, ValueError):
        return None


def choose_anchor(
    link: Link,
    template: Template | None,
    intent: Intent,
    values: dict[str, str | None],
    slots: Slots,
    source: str | None = None,
) -> str | None:
    """A 2–6 word descriptive anchor for a vague one, or None to keep the writer's anchor."""
    if not (is_vague(link) and anchor_editable(link, source)):
        return None
    candidates: list[str] = []
    if template is not None and template.anchor:
        filled = _fill(template.anchor, values)
        if filled:
            candidates.append(filled)
    if values.get("title"):
        short = short_phrase(values["title"] or "")
        if short:
            candidates.append(short)
    if slots.get("_slug"):
        candidates.append(slots.get("_slug") or "")
    for pattern in _FALLBACK_ANCHORS.get(intent, ()):
        filled = _fill(pattern, values)
        if filled:
            candidates.append(filled)
    for c in candidates:
        c = " ".join(c.split()).strip(" .,:;")
        n = len(c.split())
        if 2 <= n <= 6 and descriptive_words(c) and not is_vague_text(c):
            return c
    return None


def is_vague_text(text: str) -> bool:
    from linkwriter.core.suggest.slots import VAGUE_ANCHORS, normalise_anchor

    return normalise_anchor(text) in VAGUE_ANCHORS


def link_markdown(post: Post, link: Link, sur: Surroundings, new_anchor: str | None) -> str:
    """The link construct as written, with only its anchor text reworded (never the URL)."""
    text = post.text
    seg = text[sur.seg_start : sur.seg_end]
    if not new_anchor:
        return seg
    ls, le = link.label_start - sur.seg_start, link.label_end - sur.seg_start
    if link.kind is LinkKind.HTML:
        return seg[:ls] + _html_escape(new_anchor) + seg[le:]
    escaped = _md_escape(new_anchor)
    if link.kind is LinkKind.REFERENCE and link.ref_style in ("collapsed", "shortcut"):
        label = (
            link.ref_label
            if link.ref_label is not None
            else text[link.label_start : link.label_end]
        )
        return f"[{escaped}][{label}]"
    return seg[:ls] + escaped + seg[le:]


def _md_escape(text: str) -> str:
    return re.sub(r"([\\\[\]`*_<>])", r"\\\1", text)


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _visible_anchor(link: Link, new_anchor: str | None) -> str:
    if new_anchor:
        return new_anchor
    return link.text if link.text else link.url


def render(
    post: Post,
    link: Link,
    sur: Surroundings,
    slots: Slots,
    template: Template,
    result: IntentResult,
) -> Fix | None:
    """Fill one template for this link; None when a placeholder cannot be filled."""
    fields = template.fields
    if "rest" in fields and not sur.rest:
        return None
    values: dict[str, str | None] = dict(slots.values)
    new_anchor = choose_anchor(
        link,
        template,
        template.intent,
        values | {"topic": pick_topic(slots, link.text)},
        slots,
        post.text,
    )
    shown_anchor = _visible_anchor(link, new_anchor)
    values["anchor"] = shown_anchor
    values["topic"] = pick_topic(slots, shown_anchor)
    # "Our partner Notion offers [Notion]": a value that only repeats the anchor is no value.
    anchor_words = {w.lower() for w in descriptive_words(shown_anchor)}
    for name in ("term", "partner", "site", "title"):
        words = {w.lower() for w in descriptive_words(values.get(name) or "")}
        if name in fields and words and words <= anchor_words:
            values[name] = None
    if template.intent is not Intent.PRODUCT:
        values["disclosure"] = values.get("disclosure")
    missing = [n for n in fields - {"link"} if not values.get(n)]
    if missing:
        return None

    rest_md = sur.rest or ""
    if "rest" in fields:
        rest_md = rest_md.strip()
        if not template.text.startswith("{rest}"):
            rest_md = lower_first(rest_md, keep=_lowercase_words(post))
        values["rest"] = REST_OPEN + rest_md + REST_CLOSE

    link_token = LINK_OPEN + shown_anchor + LINK_CLOSE
    try:
        filled = template.text.format(
            **{k: v for k, v in values.items() if k in fields} | {"link": link_token}
        )
    except (KeyError, IndexError, ValueError):
        return None
    if "{" in filled.replace(link_token, "").replace(values.get("rest") or "", ""):
        return None  # a value itself looked like a placeholder; never show braces to a reader

    # Product, affiliate and sponsored links always disclose, whatever template is used.
    commercial = {template.intent, result.intent}
    if (Intent.PRODUCT in commercial or result.affiliate) and not DISCLOSURE_RE.search(
        _plain(filled)
    ):
        filled = _append_note(filled, values.get("disclosure") or "affiliate link")
    if Intent.SPONSORED in commercial and not SPONSORED_RE.search(_plain(filled)):
        filled = _append_note(filled, "sponsored")
    sentence = naturalise(_protect_rest(filled))
    sentence = _unprotect_rest(sentence)

    # The writer's other words: keep them in front when this template does not reuse them.
    if "rest" not in fields:
        if sur.rest_at in ("before", "after") and sur.rest:
            lead = sur.rest.strip()
            lead = lead[:1].upper() + lead[1:]
            sentence = f"{lead}{_end_punct(lead, sur.terminal)} {sentence}"
        elif sur.rest_at == "mid":
            unlinked = _unlinked(post, link, sur)
            if unlinked is None:
                return None
            sentence = f"{unlinked} {sentence}"

    if re.search(r"(?:^|[.!?]\s+)" + re.escape(link_token), sentence) and not (
        shown_anchor[:1].isupper() or shown_anchor[:1].isdigit()
    ):
        # The link opens a sentence: capitalise its first letter, or drop the template when
        # the anchor is the URL itself.
        if not anchor_editable(link, post.text):
            return None
        capital = shown_anchor[:1].upper() + shown_anchor[1:]
        sentence = sentence.replace(link_token, LINK_OPEN + capital + LINK_CLOSE)
        link_token, new_anchor, shown_anchor = LINK_OPEN + capital + LINK_CLOSE, capital, capital
    if sentence.count(link_token) != 1:
        return None
    if (
        not new_anchor
        and anchor_editable(link, post.text)
        and not _WORDS_RE.search(sur.before)
        and shown_anchor[:1].isupper()
        and not re.search(r"(?:^|[.!?:]\s+)" + re.escape(link_token), sentence)
    ):
        # The writer's anchor opened their sentence ("This grinder"); mid-sentence it reads
        # "this grinder". Names and acronyms keep their capitals.
        lowered = lower_first(shown_anchor, keep=_lowercase_words(post))
        if lowered != shown_anchor:
            token = LINK_OPEN + lowered + LINK_CLOSE
            sentence = sentence.replace(link_token, token)
            link_token, new_anchor, shown_anchor = token, lowered, lowered
    link_md = link_markdown(post, link, sur, new_anchor)
    replacement = sentence.replace(link_token, link_md)
    for marker in (LINK_OPEN, LINK_CLOSE, REST_OPEN, REST_CLOSE):
        replacement = replacement.replace(marker, "")
    if link_md not in replacement:
        return None
    title = replacement.replace(link_md, shown_anchor)
    title = _plain_markdown(title)
    return Fix(title=title, start=sur.span_start, end=sur.span_end, replacement=replacement)


class _LowerKeep:
    """`word in keep`: a stop word or a word the post writes in lower case (asked lazily, so
    no set of the whole vocabulary is built per link)."""

    __slots__ = ("vocab",)

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __contains__(self, word: object) -> bool:
        return word in _STOPWORDS_LOWER or self.vocab.is_lower(word)


def _lowercase_words(post: Post) -> Any:
    from linkwriter.core.suggest.slots import vocabulary

    return _LowerKeep(vocabulary(post.text[post.body_start :]))


def _protect_rest(text: str) -> str:
    # naturalise() treats LINK markers as opaque; reuse them for the writer's clause.
    return text.replace(REST_OPEN, LINK_OPEN + "\ue004").replace(REST_CLOSE, "\ue005" + LINK_CLOSE)


def _unprotect_rest(text: str) -> str:
    return text.replace(LINK_OPEN + "\ue004", "").replace("\ue005" + LINK_CLOSE, "")


def _plain(text: str) -> str:
    return text.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")


def _append_note(text: str, note: str) -> str:
    m = re.search(r"([.!?]*)$", text)
    end = m.group(1) if m else ""
    body = text[: len(text) - len(end)] if end else text
    return f"{body} ({note}){end or '.'}"


def _end_punct(text: str, terminal: str) -> str:
    return "" if re.search(r"[.!?…]$", text) else (terminal if terminal in ".!?" else ".")


def _unlinked(post: Post, link: Link, sur: Surroundings) -> str | None:
    """The writer's sentence with this link turned back into plain words (kept byte-exact)."""
    text = post.text
    if link.kind in (LinkKind.BARE, LinkKind.AUTOLINK):
        return None  # the URL is the only wording there is; restructuring would lose it
    if not (sur.seg_start <= link.label_start <= link.label_end <= sur.seg_end):
        return None
    words = text[link.label_start : link.label_end]
    out = text[sur.span_start : sur.seg_start] + words + text[sur.seg_end : sur.span_end]
    out = out.strip()
    return out if re.search(r"[.!?…][)\"'”’]*$", out) else out + "."


def _plain_markdown(text: str) -> str:
    """Readable one-line preview: other links as their text, no emphasis markers."""
    text = re.sub(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])", r"\1", text)
    text = re.sub(r"<a\b[^>]*>(.*?)</a\s*>", r"\1", text, flags=re.I | re.S)
    text = re.sub(r"\\([\\\[\]`*_<>])", r"\1", text)
    return " ".join(text.split())
