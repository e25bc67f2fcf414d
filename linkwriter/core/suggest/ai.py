"""Optional AI lead-ins from any OpenAI-compatible chat-completions endpoint (off by default).

Privacy by construction: nothing is sent unless `[ai] enabled = true`; only the paragraph
around the link leaves the machine; the key lives in the system keyring, never in config.
The model never touches the link itself: it writes `{{LINK}}` (or `{{LINK|new anchor}}`) and
we put the writer's link construct back, so the URL cannot be altered. Any failure (network,
timeout, bad JSON, a reply that drops the link) yields no AI suggestions; templates stand.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass

from linkwriter.core.config import Config
from linkwriter.core.model import Fix, Link
from linkwriter.core.post import Post
from linkwriter.core.suggest.intents import IntentResult
from linkwriter.core.suggest.sentence import Surroundings

KEYRING_SERVICE = "linkwriter"
KEYRING_USERNAME = "ai-api-key"
DEFAULT_TIMEOUT = 10.0
_TOKEN = re.compile(r"\{\{\s*LINK\s*(?:\|\s*([^{}|]{1,80}?)\s*)?\}\}")

SYSTEM_PROMPT = (
    "You help a blogger give each link a lead-in: words before or around the link that tell "
    "the reader why to click. You get one paragraph, the sentence that holds the link, and "
    "why the writer links (the intent). Rewrite only that sentence, 3 different ways, keeping "
    "its meaning. Write the link as {{LINK}}, or {{LINK|new anchor}} to give it 2-6 descriptive "
    "words when the current anchor is vague. Product and affiliate links must include a "
    "disclosure; sponsored links must say they are sponsored. Reply with JSON only: "
    '{"suggestions": ["...", "...", "..."]}'
)

last_error: str | None = None  # why the last call gave nothing, for the GUI's status line


@dataclass(frozen=True, slots=True)
class AiSettings:
    enabled: bool = False
    base_url: str = ""
    model: str = ""
    timeout: float = DEFAULT_TIMEOUT
    max_suggestions: int = 3

    @property
    def usable(self) -> bool:
        """Whether a request would be sent at all."""
        return self.enabled and bool(self.base_url and self.model)


def ai_settings(config: Config) -> AiSettings:
    section = config.section("ai")
    timeout = section.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        timeout = DEFAULT_TIMEOUT
    max_n = section.get("max_suggestions", 3)
    return AiSettings(
        enabled=section.get("enabled") is True,
        base_url=str(section.get("base_url") or "").strip(),
        model=str(section.get("model") or "").strip(),
        timeout=float(timeout),
        max_suggestions=max_n if isinstance(max_n, int) and 0 < max_n <= 5 else 3,
    )


def get_api_key() -> str | None:
    """The key from the system keyring; None when unset or no keyring works here."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME)
    except Exception:  # noqa: BLE001 - a missing keyring backend means "no key"
        return None


def set_api_key(key: str | None) -> None:
    import keyring

    if key:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USERNAME, key)
    else:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USERNAME)


def paragraph_around(text: str, start: int, end: int) -> str:
    """The blank-line-delimited block that holds [start, end): all the model ever sees."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end == -1 else para_end
    return text[para_start:para_end].strip("\n")


def endpoint(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def build_request(
    post: Post, link: Link, sur: Surroundings, result: IntentResult, settings: AiSettings
) -> dict:
    paragraph = paragraph_around(post.text, sur.span_start, sur.span_end)
    sentence = post.text[sur.span_start : sur.span_end]
    link_md = post.text[sur.seg_start : sur.seg_end]
    marked = sentence.replace(link_md, "{{LINK}}", 1)
    user = (
        f"Paragraph:\n{paragraph}\n\n"
        f"Sentence to rewrite (the link is {{{{LINK}}}}, its anchor is \"{link.text}\"):\n"
        f"{marked}\n\nIntent: {result.intent.label}"
        + (" (affiliate link)" if result.affiliate else "")
    )
    return {
        "model": settings.model,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
        ],
        "temperature": 0.4,
        "n": 1,
    }


def ai_suggestions(
    post: Post, link: Link, sur: Surroundings, result: IntentResult, config: Config
) -> list[Fix]:
    global last_error
    settings = ai_settings(config)
    if not settings.usable:
        return []
    last_error = None
    try:
        import requests

        headers = {"Content-Type": "application/json"}
        key = get_api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        response = requests.post(
            endpoint(settings.base_url),
            json=build_request(post, link, sur, result, settings),
            headers=headers,
            timeout=settings.timeout,
            allow_redirects=False,
        )
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        texts = parse_reply(content)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the template suggestions
        last_error = f"AI suggestions unavailable: {type(exc).__name__}: {exc}"[:300]
        return []
    fixes = []
    for text in texts:
        fix = to_fix(post, link, sur, result, text)
        if fix is not None and fix.replacement not in {f.replacement for f in fixes}:
            fixes.append(fix)
    if not fixes:
        last_error = "AI reply had no usable suggestion"
    return fixes[: settings.max_suggestions]


def parse_reply(content: str) -> list[str]:
    content = content.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", content, re.S)
    if fenced:
        content = fenced.group(1)
    data = json.loads(content)
    items = data.get("suggestions") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("reply has no suggestions list")
    return [s for s in items if isinstance(s, str)]


def to_fix(
    post: Post, link: Link, sur: Surroundings, result: IntentResult, text: str
) -> Fix | None:
    """Validate one model sentence and rebuild it around the writer's own link construct."""
    from linkwriter.core.suggest.engine import link_markdown
    from linkwriter.core.suggest.intents import Intent
    from linkwriter.core.suggest.slots import anchor_editable, descriptive_words
    from linkwriter.core.suggest.templates import DISCLOSURE_RE, SPONSORED_RE

    text = " ".join(text.split())
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) != 1 or not 10 <= len(text) <= 600 or "\ue000" in text:
        return None
    anchor = tokens[0].group(1)
    if anchor is not None:
        n = len(anchor.split())
        if not (anchor_editable(link, post.text) and 2 <= n <= 6 and descriptive_words(anchor)):
            anchor = None
    link_md = link_markdown(post, link, sur, anchor)
    before, after = text[: tokens[0].start()], text[tokens[0].end() :]
    if "](" in before + after or "http" in (before + after).lower():
        return None  # the model invented a link of its own
    plain = before + (anchor or link.text) + after
    if result.intent is Intent.PRODUCT and not DISCLOSURE_RE.search(plain):
        return None
    if result.intent is Intent.SPONSORED and not SPONSORED_RE.search(plain):
        return None
    return Fix(title=plain, start=sur.span_start, end=sur.span_end,
               replacement=before + link_md + after)
