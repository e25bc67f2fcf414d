"""`linkwriter suggest` end to end through the real entry point, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linkwriter.cli import main
from linkwriter.core.model import Fix

ROOT = Path(__file__).resolve().parent.parent
G = "https://example.com/guides/sourdough-starter-basics"
POST = (
    "# Bread\n\n## Feeding the starter\n\nWe feed the starter daily.\n\n"
    f"[Click here]({G}).\n\n"
    "I use [this grinder](https://www.amazon.com/dp/B07?tag=me-20) every morning.\n"
)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("LINKWRITER_NO_USER_CONFIG", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def test_json_lists_intent_suggestions_and_link_fields(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert main(["suggest", str(post), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    links = report["links"]
    assert [entry["intent"] for entry in links] == ["further-reading", "product"]
    first = links[0]
    for key in ("url", "text", "line", "column", "start", "end", "intent", "suggestions"):
        assert key in first
    assert (first["url"], first["text"], first["line"], first["column"]) == (G, "Click here", 7, 1)
    assert POST[first["start"] : first["end"]] == f"[Click here]({G})"
    assert 3 <= len(first["suggestions"]) <= 5
    for s in first["suggestions"]:
        assert set(s) == {"text", "start", "end", "replacement"}
        new = Fix(s["text"], s["start"], s["end"], s["replacement"]).apply(POST)
        assert G in new and new.startswith("# Bread\n\n## Feeding the starter\n\nWe feed")
    assert any("commission" in s["text"] for s in links[1]["suggestions"])


def test_line_filter_and_text_output(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert main(["suggest", str(post), "--line", "9"]) == 0
    out = capsys.readouterr().out
    assert "product recommendation" in out and "Click here" not in out
    assert "1. " in out and "edit " in out
    assert main(["suggest", str(post), "--line", "2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["links"] == []


def test_config_flag_is_used(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text("Our shop runs on [Acme](https://acme.test/plans).\n", encoding="utf-8")
    cfg = tmp_path / "extra.toml"
    cfg.write_text('[domains]\npartners = ["acme.test"]\n', encoding="utf-8")
    assert main(["suggest", str(post), "--format", "json", "--config", str(cfg)]) == 0
    assert json.loads(capsys.readouterr().out)["links"][0]["intent"] == "partner"


@pytest.mark.parametrize("make", [
    lambda d: d / "missing.md",
    lambda d: d,
    lambda d: (d / "bin.md").write_bytes(b"\x00\x01\x02 binary") and d / "bin.md",
    lambda d: (d / "l1.md").write_bytes("caf\u00e9 cr\u00e8me".encode("latin-1")) and d / "l1.md",
])
def test_unreadable_files_exit_2_with_one_line(tmp_path, make):
    target = make(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "linkwriter", "suggest", str(target)],
        capture_output=True, text=True,
        env={"PYTHONPATH": str(ROOT), "LINKWRITER_NO_USER_CONFIG": "1",
             "XDG_CONFIG_HOME": str(tmp_path / "xdg")},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkwriter: "), result.stderr


def test_bad_config_is_a_one_line_error(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    assert main(["suggest", str(post), "--config", str(tmp_path / "nope.toml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_docs_examples_are_generated_from_the_engine():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_suggestions.py"), "--check"],
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
