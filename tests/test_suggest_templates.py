"""Templates are data, every one renders cleanly, and the writer's own folder takes effect."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from suggest_support import make_post

from linkwriter.core.config import Config
from linkwriter.core.suggest import Intent, classify_link, suggest_for_link
from linkwriter.core.suggest.engine import render
from linkwriter.core.suggest.natural import fix_articles, naturalise, wants_an
from linkwriter.core.suggest.sentence import surroundings
from linkwriter.core.suggest.slots import compute_slots
from linkwriter.core.suggest.templates import (
    DISCLOSURE_RE,
    SPONSORED_RE,
    load_templates,
    parse_template,
)

BUNDLED = load_templates(include_user=False)
URL = "https://www.example.org/reports/2024/levain-feeding-habits"
PAGE = {
    "title": "State of Sourdough 2024 | Example Institute",
    "site_name": "Example Institute",
    "author": "Dana Baker",
    "publisher": "the Example Institute",
    "published": "2024-03-01",
}
BARE = f"# Baking\n\n## Starter care\n\nWe feed the starter daily.\n\n[Click here]({URL}).\n"
WITH_REST = (
    "# Baking\n\n## Starter care\n\nWe feed the starter daily.\n\n"
    f"Most home bakers feed their starter twice a day ([source]({URL})).\n"
)
MARKERS = re.compile("[\ue000-\ue0ff]")


def test_bundled_templates_are_plenty_and_cover_intents():
    assert not BUNDLED.problems
    assert len(BUNDLED.templates) >= 40
    assert len(BUNDLED.intents()) >= 8
    assert BUNDLED.intents() == set(Intent)
    ids = [t.id for t in BUNDLED.templates]
    assert len(ids) == len(set(ids))


def test_product_and_sponsored_templates_disclose_in_their_text():
    for t in BUNDLED.for_intent(Intent.PRODUCT):
        assert DISCLOSURE_RE.search(t.text), t.id
    for t in BUNDLED.for_intent(Intent.SPONSORED):
        assert SPONSORED_RE.search(t.text), t.id


def _render_all(text: str):
    post = make_post(text)
    link = post.links[0]
    sur = surroundings(post, link)
    result = classify_link(post, 0, Config(), {URL: PAGE})
    out = {}
    for affiliate in (False, True):
        slots = compute_slots(post, link, page=PAGE, rest=sur.rest, affiliate=affiliate,
                              config_section={})
        for t in BUNDLED.templates:
            out[(t.id, affiliate)] = (t, render(post, link, sur, slots, t, result))
    return post, out


def _assert_clean(post, fix, template):
    text = fix.replacement
    assert "{" not in text and "}" not in text, (template.id, text)
    assert not MARKERS.search(text) and not MARKERS.search(fix.title)
    assert text.count(f"]({URL})") == 1, (template.id, text)
    assert fix.title[0].isupper() or fix.title[0].isdigit(), (template.id, fix.title)
    assert re.search(r"[.!?)]$", fix.title), (template.id, fix.title)
    assert not re.search(r"\b(\w+) \1\b", fix.title, re.I), (template.id, fix.title)
    for m in re.finditer(r"\b(a|an) (\w+)", fix.title, re.I):
        assert (m.group(1).lower() == "an") == wants_an(m.group(2)), (template.id, fix.title)
    assert "  " not in fix.title and " ," not in fix.title and " ." not in fix.title
    if template.intent is Intent.PRODUCT:
        assert DISCLOSURE_RE.search(fix.title)
    if template.intent is Intent.SPONSORED:
        assert SPONSORED_RE.search(fix.title)


def test_every_template_renders_without_leftovers_when_the_sentence_has_words():
    post, rendered = _render_all(WITH_REST)
    for (tid, _aff), (template, fix) in rendered.items():
        assert fix is not None, f"{tid} did not render"
        _assert_clean(post, fix, template)


def test_templates_needing_the_writers_words_are_dropped_for_a_bare_link():
    post, rendered = _render_all(BARE)
    for (tid, _aff), (template, fix) in rendered.items():
        if "rest" in template.fields:
            assert fix is None, tid
        else:
            assert fix is not None, f"{tid} did not render"
            _assert_clean(post, fix, template)
            # The vague "Click here" became 2-6 descriptive words.
            anchor = re.search(r"\[([^\]]*)\]\(" + re.escape(URL), fix.replacement).group(1)
            assert 2 <= len(anchor.split()) <= 6 and anchor.lower() != "click here"


def test_a_template_with_an_unknown_value_is_dropped_not_shown():
    post = make_post(f"[Click here]({URL}).\n")  # no page metadata: no author, no year
    link = post.links[0]
    sur = surroundings(post, link)
    slots = compute_slots(post, link, page=None, rest=None, affiliate=False, config_section={})
    t = parse_template({"text": "{author} wrote {link} in {year}.", "intent": "further-reading"})
    result = classify_link(post, 0)
    assert render(post, link, sur, slots, t, result) is None


@pytest.mark.parametrize(
    ("word", "an"),
    [("hour", True), ("apple", True), ("user", False), ("URL", False), ("API", True),
     ("FAQ", True), ("honest", True), ("university", False), ("one-off", False), ("HTML", True),
     ("guide", False), ("8-step", True), ("SQL", True), ("European", False), ("owl", True)],
)
def test_article_choice(word, an):
    assert wants_an(word) is an


def test_naturalise_fixes_articles_case_spacing_and_doubles():
    raw = "for a in-depth look , see see \ue000an guide\ue001 ."
    assert naturalise(raw) == "For an in-depth look, see \ue000an guide\ue001."
    assert fix_articles("a \ue000hour-long talk\ue001") == "an \ue000hour-long talk\ue001"


def test_user_templates_take_effect_without_code_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    from linkwriter.core.config import user_config_dir

    folder = user_config_dir() / "templates"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        'intent = "further-reading"\n\n[[template]]\nid = "mine-1"\nweight = 9\n'
        'text = "My favourite explainer on {topic} is {link}."\n\n'
        '[[template]]\nid = "further-deeper-look"\ntext = "Dig into {topic} with {link}."\n',
        encoding="utf-8",
    )
    (folder / "broken.toml").write_text("this is = not [valid", encoding="utf-8")
    templates = load_templates()
    assert any(p.startswith(str(folder / "broken.toml")) for p in templates.problems)
    ids = {t.id: t for t in templates.templates}
    assert ids["mine-1"].origin != "bundled"
    assert ids["further-deeper-look"].text.startswith("Dig into")  # same id replaces bundled
    post = make_post(BARE.replace("[Click here]", "[Read more]"))
    result = suggest_for_link(post, 0, Config(), templates=templates)
    assert result.suggestions[0].title.startswith("My favourite explainer on starter care is")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"text": "no link here"}, "{link}"),
        ({"text": "{link} and {link}"}, "{link}"),
        ({"text": "{link} by {nobody}"}, "unknown placeholder"),
        ({"text": "{link}", "intent": "gossip"}, "unknown intent"),
        ({"text": "{link} {topic"}, "placeholder syntax"),
    ],
)
def test_bad_user_templates_are_rejected_with_a_reason(raw, problem):
    raw = {"intent": "citation", **raw}
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_template(raw)


def test_template_files_are_documented():
    readme = Path(__file__).resolve().parent.parent / "resources" / "templates" / "README.md"
    assert "MIT" in readme.read_text(encoding="utf-8")
