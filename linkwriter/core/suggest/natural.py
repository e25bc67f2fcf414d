"""Make a filled template read like a person wrote it: articles, capitals, spacing, no doubles.

The link construct is opaque here: callers pass it as a marker so nothing inside the link
(its URL above all) can be touched by these clean-ups.
"""

from __future__ import annotations

import re

LINK_OPEN, LINK_CLOSE = "\ue000", "\ue001"

# Words that start with a vowel letter but a consonant sound, and the reverse.
_AN_EXCEPTIONS = re.compile(
    r"^(?:uni(?!n)|use|usu|uti|ura|uro|eu|ewe|one|once|ubiq|u\b|u-|ufo|wha)", re.I
)
_A_EXCEPTIONS = re.compile(
    r"^(?:hour|honest|honou?r|heir|herb(?!al)|mba|mri|fbi|faq|sql|html|xml|x-|\d*8|11|18)", re.I
)
_ACRONYM_VOWEL_SOUND = set("AEFHILMNORSX")  # letters whose name starts with a vowel sound


def wants_an(word: str) -> bool:
    """'an' before a vowel sound: 'an hour', 'an API', 'a user', 'a URL', 'an 8-step plan'."""
    w = word.lstrip("\"'([*_`“‘")
    if not w:
        return False
    if re.match(r"^[A-Z]{2,}\b", w) and not re.match(r"^(?:URL|USB|UTF|UEFI|UN)\b", w):
        return w[0] in _ACRONYM_VOWEL_SOUND
    if re.match(r"^(?:URL|USB|UTF|UEFI)\b", w):
        return False
    if _A_EXCEPTIONS.match(w):
        return True
    if _AN_EXCEPTIONS.match(w):
        return False
    return w[0].lower() in "aeiou"


def fix_articles(text: str) -> str:
    """Fix 'a'/'an' outside the link markers, looking at the next visible word."""
    out: list[str] = []
    pos = 0
    pattern = re.compile(r"\b(a|an|A|An)(\s+)(" + LINK_OPEN + r"?)([^\s" + LINK_CLOSE + r"]+)")
    for m in pattern.finditer(text):
        if _inside_link(text, m.start()):
            continue
        article, space, marker, word = m.groups()
        want = "an" if wants_an(word) else "a"
        if article.lower() != want:
            want = want.capitalize() if article[0].isupper() else want
            out.append(text[pos : m.start(1)])
            out.append(want)
            pos = m.end(1)
    out.append(text[pos:])
    return "".join(out)


def _inside_link(text: str, index: int) -> bool:
    opened = text.rfind(LINK_OPEN, 0, index)
    return opened != -1 and text.rfind(LINK_CLOSE, 0, index) < opened


def drop_doubled_words(text: str) -> str:
    """'see see the guide' -> 'see the guide' (only outside the link)."""
    pattern = re.compile(r"\b(\w+)(\s+)\1\b", re.I)
    while True:
        for m in pattern.finditer(text):
            if _inside_link(text, m.start()) or _inside_link(text, m.end()):
                continue
            if m.group(1).isdigit():
                continue
            text = text[: m.start()] + m.group(1) + text[m.end() :]
            break
        else:
            return text


def tidy_spacing(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    text = re.sub(r"([.!?])\.(?=\s|$)", r"\1", text)  # "proof?." -> "proof?"
    text = re.sub(r",\s*([.!?])", r"\1", text)
    text = re.sub(r"\.\s*\.", ".", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip()


def capitalise_sentences(text: str) -> str:
    """Capital letter at the start of each sentence (never inside the link)."""
    chars = list(text)
    start = True
    i = 0
    while i < len(chars):
        c = chars[i]
        if c == LINK_OPEN:
            j = text.find(LINK_CLOSE, i)
            i = len(chars) if j == -1 else j + 1
            start = False
            continue
        if start and c.isalpha():
            chars[i] = c.upper()
            start = False
        elif start and (c.isdigit() or c in "`"):
            start = False
        elif c in ".!?" and i + 1 < len(chars) and chars[i + 1] == " ":
            # "e.g." and "vs." are not sentence ends.
            before = text[max(0, i - 4) : i + 1].lower()
            if not re.search(r"(?:\be\.g|\bi\.e|\bvs|\betc|\bno|\bdr|\bmr|\bms|\bst)\.$", before):
                start = True
        i += 1
    return "".join(chars)


def naturalise(text: str) -> str:
    text = tidy_spacing(text)
    text = drop_doubled_words(text)
    text = fix_articles(text)
    text = capitalise_sentences(text)
    return tidy_spacing(text)


def lower_first(text: str, keep: set[str] | None = None) -> str:
    """Lower-case the first word for mid-sentence use unless it looks like a name or acronym."""
    m = re.match(r"(\W*)(\w[\w'’-]*)", text)
    if not m:
        return text
    word = m.group(2)
    rest = text[m.end(2) :]
    if rest.startswith("://") or (word.lower() == "www" and rest.startswith(".")):
        return text  # a bare URL: its spelling is the writer's, not prose to re-case
    if word.isupper() and len(word) > 1:
        return text  # acronym
    if any(c.isupper() for c in word[1:]):
        return text  # iPhone, GitHub
    if keep is not None and word.lower() not in keep and word != "I":
        return text  # not a word the writer uses in lower case: probably a name
    if word == "I":
        return text
    return text[: m.start(2)] + word[0].lower() + word[1:] + text[m.end(2) :]
