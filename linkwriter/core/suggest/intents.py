"""Why the writer links: a small, explainable cue-scoring classifier.

Hand-weighted cues beat a trained model here: the evidence is sparse (one sentence, one URL),
the writer must see *why* we guessed an intent, and anyone can add a cue without data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import parse_qsl

from linkwriter.core.config import Config
from linkwriter.core.model import Link, LinkKind
from linkwriter.core.suggest.urls import domain_matches, host_of, is_internal, registrable
from linkwriter.core.urlparts import split_url


class Intent(str, Enum):
    CITATION = "citation"
    FURTHER_READING = "further-reading"
    DEFINITION = "definition"
    TOOL = "tool"
    PRODUCT = "product"
    PARTNER = "partner"
    DOCUMENTATION = "documentation"
    COUNTERPOINT = "counterpoint"
    INTERNAL = "internal"
    SPONSORED = "sponsored"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Intent.CITATION: "citation or source",
    Intent.FURTHER_READING: "further reading",
    Intent.DEFINITION: "definition",
    Intent.TOOL: "tool or download",
    Intent.PRODUCT: "product recommendation",
    Intent.PARTNER: "partner",
    Intent.DOCUMENTATION: "primary documentation",
    Intent.COUNTERPOINT: "counterpoint",
    Intent.INTERNAL: "own earlier post",
    Intent.SPONSORED: "sponsored",
}


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence: where it was seen, what matched, which intent it supports."""

    source: str  # "url", "domain", "anchor", "sentence", "page", "config"
    match: str
    intent: Intent
    weight: float

    def __str__(self) -> str:
        return f"{self.source}: {self.match!r} -> {self.intent.value} (+{self.weight:g})"


@dataclass(frozen=True, slots=True)
class IntentResult:
    intent: Intent
    cues: tuple[Cue, ...]
    scores: dict[Intent, float] = field(default_factory=dict, hash=False, compare=False)
    affiliate: bool = False  # the product link pays the writer (params, network, writer's words)

    def ranked(self) -> list[Intent]:
        """Intents by score, best first (the winner always first)."""
        rest = sorted((i for i in self.scores if i != self.intent), key=lambda i: -self.scores[i])
        return [self.intent, *[i for i in rest if self.scores[i] > 0]]


# --- cue tables ----------------------------------------------------------------------------
# Words are matched as whole words (case-insensitive) unless they contain regex syntax.

_WORDS: dict[Intent, dict[str, float]] = {
    Intent.CITATION: {
        "study": 2.5,
        "studies": 2,
        "report": 2,
        "reports": 2,
        "reported": 2,
        "survey": 2.5,
        "data": 1.5,
        "dataset": 2.5,
        "research": 2,
        "researchers": 2.5,
        "found": 1.5,
        "according to": 3,
        "statistics": 2.5,
        "census": 3,
        "paper": 1.5,
        "published": 1.5,
        "analysis": 1.5,
        "estimates?": 2,
        "percent": 2,
        r"\d+(?:\.\d+)?\s?%": 2.5,
        "per cent": 2,
        "trial": 2,
        "meta-analysis": 3,
        "journal": 2,
        "peer-reviewed": 3,
        "figures": 1.5,
        "poll": 2,
        "source": 1.5,
        "cited": 2,
        "evidence": 1.5,
        "findings": 2,
        "showed": 1.5,
        "shows": 1,
        "suggests": 1,
        "concluded": 2,
        "measured": 1.5,
        "scientists": 1.5,
        "a \\d{4}": 1,
        "in \\d{4}": 0.5,
        "index": 1,
        "white paper": 2,
        "whitepaper": 2,
    },
    Intent.FURTHER_READING: {
        "read more": 1.5,
        "deeper look": 3,
        "deep dive": 3,
        "learn more": 1.5,
        "guide": 1.5,
        "tutorial": 1.5,
        "see also": 3,
        "related": 2,
        "further": 2,
        "more on": 2,
        "explainer": 1.5,
        "overview": 1.5,
        "introduction": 1,
        "in-depth": 2.5,
        "article": 1.5,
        "essay": 2,
        "walks through": 2.5,
        "write-up": 2,
        "writeup": 2,
        "piece": 1.5,
        "long read": 3,
        "worth reading": 3,
        "great read": 3,
        "recommended reading": 3,
        "background": 1,
        "explains": 1,
        "if you want to": 1,
        "going further": 2.5,
        "blog post": 2,
        "post by": 2,
        "thread": 1.5,
        "interview": 1.5,
        "podcast": 1.5,
        "talk": 1,
        "excellent": 1,
    },
    Intent.DEFINITION: {
        "definition": 3.5,
        "defined": 2.5,
        "defines": 2.5,
        "means": 1.5,
        "refers to": 3,
        "what is": 2,
        "known as": 2,
        "glossary": 3.5,
        "term": 2,
        "stands for": 3,
        "short for": 3,
        "is a type of": 3,
        "jargon": 2.5,
        "explainer": 1,
        "primer": 1.5,
        "not familiar with": 3,
        "unfamiliar with": 3,
        "is a kind of": 3,
        "concept": 1.5,
        "so-called": 2,
        "what .{1,30} means": 2.5,
        "meaning": 2,
    },
    Intent.TOOL: {
        "tool": 3,
        "tools": 2,
        "download": 3.5,
        "install": 3,
        "app": 2,
        "extension": 2.5,
        "plugin": 2.5,
        "plug-in": 2.5,
        "generator": 2.5,
        "calculator": 3,
        "converter": 3,
        "try": 1.5,
        "free": 1,
        "editor": 1.5,
        "checker": 2.5,
        "library": 1.5,
        "cli": 2,
        "command-line": 2,
        "open-source": 1.5,
        "open source": 1.5,
        "utility": 2.5,
        "template": 1.5,
        "script": 1.5,
        "add-on": 2.5,
        "browser": 1,
        "software": 1.5,
        "grab": 1.5,
        "use": 0.5,
        "run": 0.5,
        "sign up": 1,
        "validator": 3,
        "linter": 3,
        "online": 1,
        "playground": 2.5,
        "cheat sheet": 2,
        "worksheet": 2,
        "spreadsheet": 2,
    },
    Intent.PRODUCT: {
        "buy": 3,
        "bought": 2.5,
        "price": 2.5,
        "deal": 2,
        "recommend": 2,
        "our pick": 3.5,
        "i use": 2,
        "favorite": 1.5,
        "favourite": 1.5,
        "review": 1,
        "purchase": 3,
        "worth it": 2,
        "budget": 1.5,
        "affiliate": 4,
        "commission": 4,
        "pair": 1.5,
        "order": 1,
        "on sale": 3,
        "discount": 2.5,
        "coupon": 3,
        "shop": 2,
        "best .{1,30} for": 2,
        "upgrade": 1,
        "ships": 2,
        "in stock": 3,
        "model": 1,
        "brand": 1,
        "cheaper": 2,
        "gear": 2,
        "kit": 1.5,
        "sold": 2,
        "cost": 1,
        "costs": 1.5,
        r"\$\d+": 2.5,
        "€\\d+": 2.5,
        "£\\d+": 2.5,
        "bought mine": 3,
        "picked up": 2,
    },
    Intent.DOCUMENTATION: {
        "documentation": 4,
        "docs": 3.5,
        "manual": 3,
        "reference": 2,
        "specification": 3.5,
        "spec": 3,
        "rfc": 3.5,
        "official": 2.5,
        "api": 2,
        "changelog": 3,
        "release notes": 3,
        "readme": 3,
        "handbook": 2,
        "man page": 3.5,
        "standard": 1.5,
        "section": 1,
        "configuration": 1.5,
        "parameters": 1.5,
        "options": 1,
        "syntax": 1.5,
        "the law": 2,
        "regulation": 2.5,
        "ruling": 2.5,
        "legislation": 2.5,
        "act": 1,
        "terms of service": 3,
        "policy": 1.5,
        "guidelines": 2,
        "faq": 1.5,
        "the source code": 2,
        "change log": 3,
        "advisory": 3,
        "security policy": 3,
        "cve-\\d{4}-\\d+": 3,
        "#\\d{2,}": 2,
        "pull request": 2.5,
        "issue tracker": 3,
        "described (?:here|in)": 1.5,
        "details at": 1.5,
    },
    Intent.COUNTERPOINT: {
        "however": 2,
        "but": 1,
        "disagree": 3.5,
        "disagrees": 3.5,
        "critics": 3,
        "criticism": 3,
        "critique": 3,
        "counterpoint": 4,
        "opposing": 3,
        "rebuttal": 4,
        "on the other hand": 3.5,
        "skeptic": 3,
        "sceptic": 3,
        "skeptical": 3,
        "sceptical": 3,
        "debunk": 3.5,
        "debunks": 3.5,
        "contrary": 3,
        "challenges": 2,
        "dissent": 3,
        "not everyone agrees": 4,
        "case against": 4,
        "pushback": 3,
        "objection": 3,
        "argues": 2,
        "argue": 1.5,
        "other side": 3,
        "opposite view": 4,
        "opposite case": 4,
        "doubts": 2.5,
        "questions whether": 3,
        "warns": 2,
        "unconvinced": 3,
        "flawed": 2.5,
        "overrated": 3,
        "myth": 2,
        "pushes back": 3.5,
        "contrarian": 3.5,
        "rebuts": 4,
        "alternative view": 4,
        "different take": 3.5,
        "different view": 3.5,
        "disputes": 3.5,
    },
    Intent.INTERNAL: {
        "i wrote": 3.5,
        "i covered": 3.5,
        "we covered": 3.5,
        "my earlier": 3.5,
        "my previous": 3.5,
        "our previous": 3,
        "last week": 2,
        "last month": 2,
        "last year": 1.5,
        "earlier post": 3.5,
        "previous post": 3.5,
        "my post": 3,
        "our guide": 2,
        "my guide": 3,
        "part one": 3,
        "part 1": 3,
        "part two": 3,
        "part 2": 3,
        "this series": 3,
        "as i mentioned": 3,
        "i explained": 3,
        "i wrote about": 4,
        "i've written": 3.5,
        "on this blog": 4,
        "here on": 1.5,
        "follow-up": 2,
        "previously": 2,
    },
    Intent.SPONSORED: {
        "sponsored": 5,
        "sponsor": 4.5,
        "sponsors": 4,
        "paid partnership": 5,
        "#ad": 5,
        "advertisement": 4.5,
        "brought to you by": 5,
        "in partnership with": 4,
        "paid for": 3,
        "promoted": 3,
        "advertiser": 4,
        "thanks to .{1,40} for supporting": 4,
        "supported by": 3,
        "partnered with": 3,
        "paid post": 5,
        "gifted": 3,
        "ad:": 3,
    },
    Intent.PARTNER: {
        "partner": 3,
        "partners": 3,
        "our friends at": 3.5,
        "friends over at": 3,
        "in collaboration": 2,
        "teamed up": 3,
        "collaboration": 2,
        "community partner": 3.5,
    },
}

# Domain fragments (registrable domain or host suffix) -> intent, weight.
_DOMAINS: dict[Intent, dict[str, float]] = {
    Intent.CITATION: {
        "doi.org": 5,
        "arxiv.org": 4.5,
        "pubmed.ncbi.nlm.nih.gov": 5,
        "ncbi.nlm.nih.gov": 4.5,
        "nature.com": 3.5,
        "sciencedirect.com": 4,
        "science.org": 3.5,
        "thelancet.com": 4,
        "nejm.org": 4,
        "bmj.com": 3.5,
        "jamanetwork.com": 4,
        "plos.org": 4,
        "springer.com": 3,
        "link.springer.com": 3.5,
        "wiley.com": 3,
        "onlinelibrary.wiley.com": 3.5,
        "pewresearch.org": 4.5,
        "statista.com": 4.5,
        "who.int": 3,
        "oecd.org": 4,
        "worldbank.org": 3.5,
        "data.worldbank.org": 4.5,
        "census.gov": 4.5,
        "bls.gov": 4.5,
        "imf.org": 3.5,
        "ourworldindata.org": 4.5,
        "gallup.com": 4,
        "ssrn.com": 4.5,
        "researchgate.net": 4,
        "semanticscholar.org": 4,
        "scholar.google.com": 4,
        "eurostat.ec.europa.eu": 4.5,
        "ons.gov.uk": 4.5,
        "nber.org": 4.5,
        "jstor.org": 4,
        "frontiersin.org": 4,
        "mdpi.com": 3.5,
        "cell.com": 3.5,
        "pnas.org": 4,
        "acm.org": 2,
        "dl.acm.org": 3.5,
        "ieeexplore.ieee.org": 4,
        "biorxiv.org": 4.5,
        "medrxiv.org": 4.5,
        "cdc.gov": 3,
        "nih.gov": 3,
        "europa.eu": 1.5,
        "un.org": 2,
        "unesco.org": 2,
        "mckinsey.com": 2.5,
        "gartner.com": 2.5,
        "kaggle.com": 2,
        "data.gov": 4.5,
        "groups.google.com": 2.5,
        "mail-archive.com": 2.5,
    },
    Intent.DEFINITION: {
        "wikipedia.org": 4,
        "merriam-webster.com": 5,
        "dictionary.cambridge.org": 5,
        "oxfordlearnersdictionaries.com": 5,
        "wiktionary.org": 5,
        "dictionary.com": 5,
        "britannica.com": 3.5,
        "investopedia.com": 3,
        "techopedia.com": 4,
        "collinsdictionary.com": 5,
        "thefreedictionary.com": 5,
        "vocabulary.com": 4.5,
        "whatis.techtarget.com": 4,
        "urbandictionary.com": 4.5,
        "oed.com": 5,
        "plato.stanford.edu": 3,
        "mathworld.wolfram.com": 3.5,
    },
    Intent.TOOL: {
        "github.com": 2.5,
        "gitlab.com": 2.5,
        "sourceforge.net": 3.5,
        "apps.apple.com": 3.5,
        "play.google.com": 3.5,
        "chromewebstore.google.com": 4,
        "chrome.google.com": 3,
        "addons.mozilla.org": 4,
        "marketplace.visualstudio.com": 4,
        "f-droid.org": 4,
        "flathub.org": 4,
        "snapcraft.io": 4,
        "npmjs.com": 3,
        "crates.io": 3,
        "codepen.io": 2,
        "regex101.com": 4,
        "jsfiddle.net": 3,
        "canva.com": 2.5,
        "figma.com": 2,
        "notion.so": 1.5,
        "zapier.com": 2,
        "wordpress.org": 1.5,
        "huggingface.co": 2,
        "obsidian.md": 2.5,
        "videolan.org": 3.5,
        "gimp.org": 3.5,
        "inkscape.org": 3.5,
        "audacityteam.org": 3.5,
        "blender.org": 3,
        "tinypng.com": 4,
        "squoosh.app": 4,
        "webpagetest.org": 4,
        "pagespeed.web.dev": 4,
        "caniuse.com": 2.5,
    },
    Intent.PRODUCT: {
        "amazon.com": 3.5,
        "amazon.co.uk": 3.5,
        "amazon.de": 3.5,
        "amazon.ca": 3.5,
        "amazon.fr": 3.5,
        "amzn.to": 4.5,
        "amzn.eu": 4.5,
        "bestbuy.com": 4,
        "ebay.com": 3.5,
        "etsy.com": 3.5,
        "walmart.com": 4,
        "target.com": 3,
        "bhphotovideo.com": 4,
        "rei.com": 3.5,
        "ikea.com": 3.5,
        "newegg.com": 4,
        "aliexpress.com": 4,
        "backmarket.com": 3.5,
        "zalando.com": 3.5,
        "decathlon.com": 3.5,
        "homedepot.com": 3.5,
        "lowes.com": 3.5,
        "costco.com": 3.5,
        "shopify.com": 1,
        "kickstarter.com": 2,
    },
    Intent.DOCUMENTATION: {
        "readthedocs.io": 5,
        "readthedocs.org": 5,
        "docs.python.org": 5,
        "docs.rs": 5,
        "developer.mozilla.org": 4.5,
        "rfc-editor.org": 5,
        "datatracker.ietf.org": 5,
        "w3.org": 4,
        "whatwg.org": 4.5,
        "learn.microsoft.com": 4.5,
        "docs.microsoft.com": 5,
        "developer.apple.com": 4,
        "developers.google.com": 4,
        "cloud.google.com": 2.5,
        "docs.aws.amazon.com": 5,
        "docs.github.com": 5,
        "kubernetes.io": 3,
        "man7.org": 5,
        "postgresql.org": 3,
        "sqlite.org": 3,
        "nodejs.org": 2.5,
        "go.dev": 2.5,
        "rust-lang.org": 2.5,
        "docs.djangoproject.com": 5,
        "reactjs.org": 3,
        "react.dev": 3,
        "eur-lex.europa.eu": 4.5,
        "legislation.gov.uk": 4.5,
        "congress.gov": 4,
        "law.cornell.edu": 4,
        "ecfr.gov": 4.5,
        "federalregister.gov": 4,
        "supremecourt.gov": 4,
        "ftc.gov": 2,
        "iso.org": 3.5,
        "codereview.chromium.org": 4.5,
        "bugs.chromium.org": 4.5,
        "crbug.com": 4.5,
        "bugzilla.mozilla.org": 4.5,
        "bugs.python.org": 4.5,
        "nvd.nist.gov": 4.5,
        "cve.org": 4.5,
        "cve.mitre.org": 4.5,
        "unicode.org": 3.5,
        "ecma-international.org": 4,
        "schema.org": 3.5,
        "json-schema.org": 3.5,
    },
    Intent.FURTHER_READING: {
        "medium.com": 2.5,
        "substack.com": 2.5,
        "nytimes.com": 2,
        "theguardian.com": 2,
        "theatlantic.com": 2.5,
        "newyorker.com": 2.5,
        "wired.com": 2,
        "arstechnica.com": 2,
        "bbc.com": 1.5,
        "bbc.co.uk": 1.5,
        "economist.com": 2,
        "hbr.org": 2.5,
        "aeon.co": 3,
        "longreads.com": 3.5,
        "smashingmagazine.com": 2.5,
        "css-tricks.com": 2.5,
        "dev.to": 2.5,
        "hashnode.dev": 2,
        "wordpress.com": 2,
        "blogspot.com": 2,
        "ghost.io": 2,
        "youtube.com": 1.5,
        "vimeo.com": 1.5,
        "ted.com": 2,
        "npr.org": 2,
        "vox.com": 2,
        "theverge.com": 2,
        "techcrunch.com": 1.5,
        "nngroup.com": 2.5,
        "alistapart.com": 3,
        "martinfowler.com": 2.5,
        "paulgraham.com": 2.5,
    },
}

# URL path / query patterns.
_PATHS: list[tuple[str, Intent, float]] = [
    (r"\.pdf(?:$|[?#])", Intent.CITATION, 2.5),
    (
        r"/(?:research|studies|study|reports?|publications?|papers?|data|statistics|stats|survey)(?:/|$|[-_])",
        Intent.CITATION,
        2,
    ),
    (r"/(?:doi|abs|article|articles)/", Intent.CITATION, 1),
    (
        r"/(?:docs?|documentation|reference|manual|api|spec|specs|man|handbook|guides/reference)(?:/|$|\.)",
        Intent.DOCUMENTATION,
        3,
    ),
    (r"/(?:download|downloads|releases|install|get)(?:/|$|\.)", Intent.TOOL, 3),
    (r"\.(?:zip|exe|dmg|msi|deb|rpm|apk|appimage|tar\.gz|pkg)(?:$|[?#])", Intent.TOOL, 4),
    (
        r"/(?:tools?|apps?|extensions?|plugins?|generator|calculator|converter)(?:/|$|[-_])",
        Intent.TOOL,
        2,
    ),
    (
        r"/(?:dp|gp/product|product|products|shop|store|buy|item|itm|listing)(?:/|$)",
        Intent.PRODUCT,
        3,
    ),
    (r"/(?:wiki|glossary|definition|dictionary|define|terms?)(?:/|$)", Intent.DEFINITION, 3),
    (
        r"/(?:blog|posts?|articles?|news|essays?|guides?|learn|tutorials?|\d{4}/\d{2})(?:/|$)",
        Intent.FURTHER_READING,
        1.5,
    ),
    (r"/(?:sponsored|partner-content|advertorial|promo)(?:/|$)", Intent.SPONSORED, 3),
    (r"/(?:advisories|advisory|secadv|security-advisories|vulnerabilities|cve)(?:/|$|\.|-)",
     Intent.DOCUMENTATION, 4),
    (r"/(?:bugs?|tickets?|issues?|show_bug\.cgi)(?:/|$|\?)", Intent.DOCUMENTATION, 2.5),
    (r"/(?:partners?)(?:/|$)", Intent.PARTNER, 1.5),
]

_HOST_PREFIXES: list[tuple[str, Intent, float]] = [
    ("docs.", Intent.DOCUMENTATION, 4),
    ("developer.", Intent.DOCUMENTATION, 3),
    ("developers.", Intent.DOCUMENTATION, 3),
    ("api.", Intent.DOCUMENTATION, 1.5),
    ("wiki.", Intent.DEFINITION, 1.5),
    ("data.", Intent.CITATION, 3),
    ("stats.", Intent.CITATION, 3),
    ("research.", Intent.CITATION, 2.5),
    ("shop.", Intent.PRODUCT, 3),
    ("store.", Intent.PRODUCT, 3),
    ("blog.", Intent.FURTHER_READING, 2),
    ("download.", Intent.TOOL, 3),
    ("downloads.", Intent.TOOL, 3),
]

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "gitea.com")
_CODE_RECORD = re.compile(
    r"^/[^/]+/[^/]+/(?:-/)?(issues|pull|pulls|merge_requests|commit|commits|compare|blob|tree|"
    r"wiki|labels|security|discussions|milestones?|actions|projects)(?:/|$)",
    re.I,
)
_SOURCE_FILE = re.compile(
    r"/(?:README|CHANGELOG|CHANGES|HISTORY|SECURITY|CONTRIBUTING|NEWS|UPGRADING|MIGRATION)"
    r"(?:\.(?:md|rst|txt|adoc))?$",
    re.I,
)

# Affiliate hosts and parameters (networks and shorteners that pay per sale).
AFFILIATE_HOSTS = (
    "amzn.to",
    "amzn.eu",
    "shareasale.com",
    "awin1.com",
    "anrdoezrs.net",
    "dpbolvw.net",
    "jdoqocy.com",
    "kqzyfj.com",
    "tkqlhce.com",
    "click.linksynergy.com",
    "go.skimresources.com",
    "hop.clickbank.net",
    "prf.hn",
    "avantlink.com",
    "pjtra.com",
    "pntra.com",
    "flexlinkspro.com",
    "sovrn.co",
    "go.redirectingat.com",
    "ojrq.net",
    "sjv.io",
    "impact.com",
    "partnerize.com",
    "rstyle.me",
    "shopstyle.it",
    "howl.me",
    "geni.us",
    "bit.ly/aff",
)
AFFILIATE_PARAMS = (
    "tag",
    "aff",
    "aff_id",
    "affid",
    "affiliate",
    "affiliate_id",
    "ref",
    "ref_id",
    "partner",
    "partner_id",
    "irclickid",
    "clickid",
    "subid",
    "awinaffid",
    "ranmid",
    "ranEAID",
    "aff_sub",
)
_AFFILIATE_WORDS = re.compile(r"\b(?:affiliate|commission|as an amazon associate)\b", re.I)
_SPONSOR_IN_URL = re.compile(r"[/?&=_-]sponsor(?:ed|ship)?(?:[/&_.-]|$)", re.I)
_SPONSORED_QUERY = re.compile(
    r"utm_(?:medium|campaign)=(?:[^&]*\b)?(?:sponsor|paid|advert|partner)", re.I
)

_REGEX_CHARS = set("\\.[(?*+{|$")


def _word_pattern(word: str) -> re.Pattern[str]:
    if _REGEX_CHARS & set(word):
        body = word
    else:  # plain words also match their inflections: "debunk" -> "debunked", "sponsoring"
        body = re.escape(word) + (r"(?:s|es|ed|d|ing)?" if word[-1:].isalpha() else "")
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", re.I)


_COMPILED: dict[Intent, list[tuple[re.Pattern[str], str, float]]] = {
    intent: [(_word_pattern(w), w, weight) for w, weight in words.items()]
    for intent, words in _WORDS.items()
}

# Cues found in the anchor count more: the anchor is what the writer chose to name the target.
_WEIGHT = {"anchor": 1.3, "sentence": 1.0, "page": 0.7, "heading": 0.4}
# A stance ("critics argue") lives only in the words, never in the URL: let it count more.
_STANCE = {Intent.COUNTERPOINT: 1.3}
# When nothing speaks, a link is most often "further reading".
_PRIOR = {Intent.FURTHER_READING: 0.6}


def affiliate_cues(url: str) -> list[str]:
    """Query keys or hosts that mark a URL as paying the writer per sale."""
    parts = split_url(url)
    host = (parts.hostname or "").lower()
    found = [f"host {h}" for h in AFFILIATE_HOSTS if "/" not in h and domain_matches(host, h)]
    for key, _value in parse_qsl(parts.query, keep_blank_values=True):
        if key in AFFILIATE_PARAMS or key.lower() in AFFILIATE_PARAMS:
            found.append(f"param {key}=")
    return found


def classify(
    link: Link,
    *,
    sentence: str | None = None,
    heading: str = "",
    config: Config | None = None,
    page: dict | None = None,
    site_domains: tuple[str, ...] = (),
) -> IntentResult:
    """Score every intent from the cues of one link and return the best with its evidence."""
    config = config or Config()
    sentence = link.context.sentence if sentence is None else sentence
    scores: dict[Intent, float] = {i: _PRIOR.get(i, 0.0) for i in Intent}
    cues: list[Cue] = []

    def add(source: str, match: str, intent: Intent, weight: float) -> None:
        scores[intent] += weight
        cues.append(Cue(source, match, intent, round(weight, 2)))

    url = link.href or link.url
    host = host_of(url)
    affiliate = False

    # URL shape first: these are the strongest, least ambiguous signals.
    if is_internal(url, site_domains) and link.kind is not LinkKind.IMAGE:
        add("url", host or url, Intent.INTERNAL, 6)
    if host:
        for h in config.partners:
            if domain_matches(host, h):
                add("config", f"partner {h}", Intent.PARTNER, 6)
                break
        for intent, table in _DOMAINS.items():
            for frag, weight in table.items():
                if domain_matches(host, frag):
                    add("domain", frag, intent, weight)
                    break
        for prefix, intent, weight in _HOST_PREFIXES:
            if host.startswith(prefix):
                add("domain", prefix + "*", intent, weight)
        tld = host.rsplit(".", 1)[-1]
        if tld in ("gov", "edu", "mil") or re.search(r"\.(?:gov|ac|edu)\.[a-z]{2}$", host):
            add("domain", f".{tld}", Intent.CITATION, 1.5)
        for cue in affiliate_cues(url):
            affiliate = True
            add("url", f"affiliate {cue}", Intent.PRODUCT, 5)
        if _SPONSORED_QUERY.search(url):
            add("url", "utm sponsored campaign", Intent.SPONSORED, 5)
        elif _SPONSOR_IN_URL.search(url):
            add("url", "'sponsor' in the URL", Intent.SPONSORED, 3)
    parts = split_url(url)
    path = parts.path.lower() + ("?" + parts.query if parts.query else "")
    for pattern, intent, weight in _PATHS:
        m = re.search(pattern, path)
        if m:
            add("url", m.group(0).strip("/"), intent, weight)
    if host and any(domain_matches(host, h) for h in _CODE_HOSTS):
        # A project's issues, pull requests, commits and files are its own primary record;
        # only the repository front page or its releases are "the tool".
        m = _CODE_RECORD.search(split_url(url).path)
        if m:
            add("url", f"code host {m.group(1)}", Intent.DOCUMENTATION, 4.5)
    m = _SOURCE_FILE.search(split_url(url).path)
    if m:
        add("url", m.group(0).strip("/"), Intent.DOCUMENTATION, 3)

    # Words: the anchor, the rest of the sentence, the heading, and the fetched page.
    anchor = link.text if link.kind not in (LinkKind.BARE, LinkKind.AUTOLINK) else ""
    texts = [("anchor", anchor), ("sentence", _without(sentence, anchor)), ("heading", heading)]
    if page:
        page_text = " ".join(
            str(page.get(k) or "") for k in ("title", "description", "og_type", "type", "site_name")
        )
        texts.append(("page", page_text))
        og_type = str(page.get("og_type") or page.get("type") or "").lower()
        if og_type == "product":
            add("page", "og:type product", Intent.PRODUCT, 3)
        elif og_type == "article":
            add("page", "og:type article", Intent.FURTHER_READING, 1)
    for source, text in texts:
        if not text:
            continue
        for intent, patterns in _COMPILED.items():
            best = 0.0
            hits: list[str] = []
            for pattern, _word, weight in patterns:
                m = pattern.search(text)
                if m and m.group(0).lower() not in {h.lower() for h in hits}:
                    hits.append(m.group(0))
                    best += weight
            if hits:
                # Diminishing returns: many weak words must not beat one strong URL cue.
                total = min(best, 6.0) * _WEIGHT[source] * _STANCE.get(intent, 1.0)
                add(source, ", ".join(hits[:4]), intent, total)
    if _AFFILIATE_WORDS.search(sentence or ""):
        affiliate = True

    # Sponsorship words override product/partner reading: the writer has said it is paid.
    if scores[Intent.SPONSORED] >= 4.5 and scores[Intent.INTERNAL] < 6:
        scores[Intent.SPONSORED] = max(scores.values()) + 1
    if affiliate and scores[Intent.PRODUCT] < 5:
        scores[Intent.PRODUCT] += 3

    best = max(scores, key=lambda i: (scores[i], -list(Intent).index(i)))
    ordered = sorted(cues, key=lambda c: -c.weight)
    return IntentResult(best, tuple(ordered), scores, affiliate)


def _without(sentence: str, anchor: str) -> str:
    if anchor and anchor in sentence:
        return sentence.replace(anchor, " ", 1)
    return sentence


__all__ = ["Intent", "Cue", "IntentResult", "classify", "affiliate_cues", "registrable"]
