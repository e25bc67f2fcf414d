"""URLs that Python's urlsplit refuses (bracketed hosts that are not IPv6) must not break any
part of the analysis: the writer can type them at any moment, and malformed-url reports them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from linkwriter.core.urlparts import split_url

HOSTILE = ["http://[::1x]/", "https://[more]/y", "http://[", "http://]x[/", "//[zz]/p",
           "http://[1.2.3.4]/", "https://[more]/page?utm_source=x#frag"]


@pytest.mark.parametrize("url", HOSTILE)
def test_split_url_never_raises(url):
    parts = split_url(url)
    assert isinstance(parts.path, str)


def test_split_url_keeps_the_readable_parts():
    parts = split_url("https://[more]/guides/sourdough?x=1")
    assert (parts.scheme, parts.path, parts.query) == ("https", "/guides/sourdough", "x=1")
    assert split_url("https://example.com/a").hostname == "example.com"


def test_check_reports_hostile_urls_instead_of_crashing(tmp_path):
    post = tmp_path / "post.md"
    body = "# Hostile\n\n" + "\n\n".join(
        f"See [this page]({u}) and <{u}> and <a href=\"{u}\">that</a>." for u in HOSTILE)
    post.write_text(body + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "linkwriter", "check", "--offline",
                           "--format", "json", str(post)], capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    links = json.loads(proc.stdout)["files"][0]["links"]
    assert links and all(any(f["rule"] == "malformed-url" for f in link["findings"])
                         for link in links if "[" in link["url"] or "]" in link["url"])


def test_editor_pipeline_survives_hostile_urls():
    from linkwriter.core.config import Config
    from linkwriter.gui.pipeline import build_result

    for url in HOSTILE:
        result = build_result(1, f"# T\n\nSee [x]({url}) now.\n", Config())
        assert result.error is None, (url, result.error)
        assert result.link_count
