"""The optional AI backend against a loopback server speaking the chat-completions format."""

from __future__ import annotations

import json
import time

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from suggest_support import make_post
from werkzeug import Response

from linkwriter.core.config import Config
from linkwriter.core.suggest import ai, suggest_for_link

G = "https://example.com/guides/sourdough-starter-basics"
TEXT = (
    "# Bread\n\nA secret first paragraph about my unpublished cookbook.\n\n"
    f"We feed the starter daily. [Click here]({G}). Then we bake.\n\n"
    "Another private paragraph that must stay on this machine.\n"
)


@pytest.fixture
def file_keyring(tmp_path):
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _config(server, **extra) -> Config:
    section = {"enabled": True, "base_url": server.url_for("/v1"), "model": "tiny-local",
               "timeout": 2}
    return Config(extra={"ai": section | extra})


def _reply(*suggestions: str) -> dict:
    content = json.dumps({"suggestions": list(suggestions)})
    return {"id": "x", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}]}


def test_ai_suggestions_come_first_and_keep_the_link(httpserver, file_keyring):
    ai.set_api_key("sk-test-123")
    assert file_keyring.get_password("linkwriter", "ai-api-key") == "sk-test-123"
    httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_json(_reply(
        "Our starter routine follows {{LINK|King Arthur's starter guide}} closely.",
        "For the basics of feeding, see {{LINK}}.",
        "This one invents a [link](https://evil.example) and is dropped: {{LINK}}.",
        "No link token at all, so it is dropped.",
    ))
    post = make_post(TEXT)
    result = suggest_for_link(post, 0, _config(httpserver))
    assert result.source == "ai"
    first, second = result.suggestions[:2]
    assert first.replacement == (
        f"Our starter routine follows [King Arthur's starter guide]({G}) closely."
    )
    assert second.replacement == f"For the basics of feeding, see [Click here]({G})."
    assert all("evil.example" not in f.replacement for f in result.suggestions)
    assert 3 <= len(result.suggestions) <= 5  # templates fill the rest

    request, _response = httpserver.log[-1]
    assert request.headers["Authorization"] == "Bearer sk-test-123"
    body = request.get_json()
    assert body["model"] == "tiny-local"
    sent = json.dumps(body)
    assert "We feed the starter daily." in sent and "{{LINK}}" in sent
    assert "secret first paragraph" not in sent and "private paragraph" not in sent
    assert "Bread" not in body["messages"][1]["content"].split("Paragraph:")[0]


def test_disabled_by_default_sends_nothing(httpserver, file_keyring):
    httpserver.expect_request("/v1/chat/completions").respond_with_json(_reply("x {{LINK}} y"))
    config = Config(extra={"ai": {"base_url": httpserver.url_for("/v1"), "model": "m"}})
    result = suggest_for_link(make_post(TEXT), 0, config)
    assert result.source == "templates" and len(httpserver.log) == 0
    result = suggest_for_link(make_post(TEXT), 0, _config(httpserver, enabled=False))
    assert result.source == "templates" and len(httpserver.log) == 0


def _slow(request):
    time.sleep(0.8)
    return Response(json.dumps(_reply("late {{LINK}} reply")), content_type="application/json")


@pytest.mark.parametrize(
    "respond",
    [
        lambda s: s.expect_request("/v1/chat/completions").respond_with_data("oops", status=500),
        lambda s: s.expect_request("/v1/chat/completions").respond_with_data("not json"),
        lambda s: s.expect_request("/v1/chat/completions").respond_with_json({"choices": []}),
        lambda s: s.expect_request("/v1/chat/completions").respond_with_handler(_slow),
    ],
    ids=["http-500", "bad-json", "no-choices", "timeout"],
)
def test_any_failure_leaves_the_template_suggestions(httpserver, file_keyring, respond):
    respond(httpserver)
    post = make_post(TEXT)
    expected = suggest_for_link(post, 0, Config(), use_ai=False).suggestions
    result = suggest_for_link(post, 0, _config(httpserver, timeout=0.3))
    assert result.source == "templates"
    assert result.suggestions == expected
    assert ai.last_error


def test_unreachable_server_falls_back(file_keyring):
    config = Config(extra={"ai": {"enabled": True, "base_url": "http://127.0.0.1:9/v1",
                                  "model": "m", "timeout": 0.5}})
    result = suggest_for_link(make_post(TEXT), 0, config)
    assert result.source == "templates" and len(result.suggestions) >= 3


def test_no_key_means_no_authorization_header(httpserver, file_keyring):
    ai.set_api_key(None)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        _reply("The guide {{LINK|sourdough starter basics}} explains feeding.")
    )
    result = suggest_for_link(make_post(TEXT), 0, _config(httpserver))
    assert result.source == "ai"
    request, _ = httpserver.log[-1]
    assert "Authorization" not in request.headers


def test_product_replies_without_disclosure_are_rejected(httpserver, file_keyring):
    text = "I love [this grinder](https://www.amazon.com/dp/B07?tag=me-20).\n"
    httpserver.expect_request("/v1/chat/completions").respond_with_json(_reply(
        "My daily grinder is {{LINK}}.",
        "My daily grinder is {{LINK}} (affiliate link).",
    ))
    result = suggest_for_link(make_post(text), 0, _config(httpserver))
    assert result.source == "ai"
    assert result.suggestions[0].title == "My daily grinder is this grinder (affiliate link)."
    assert all("affiliate" in f.title or "commission" in f.title for f in result.suggestions)
