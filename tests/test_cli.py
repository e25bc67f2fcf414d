"""`linkwriter check` / `clean` end to end, through the real entry point on real files."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linkwriter import __version__
from linkwriter.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN_POST = (
    "# Title\n\nThe [CommonMark spec](https://spec.commonmark.org/0.31.2/) defines links.\n"
)
BAD_POST = "# Title\n\nDo not [run this](javascript:alert(1)) at home.\n"


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch):
    monkeypatch.setenv("LINKWRITER_NO_USER_CONFIG", "1")


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "linkwriter", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "LINKWRITER_NO_USER_CONFIG": "1"},
    )


def test_version_single_source():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"linkwriter {__version__}"


def test_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.md"
    good.write_text(CLEAN_POST)
    bad = tmp_path / "bad.md"
    bad.write_text(BAD_POST)
    assert main(["check", "--offline", str(good)]) == 0
    assert main(["check", "--offline", str(bad)]) == 1
    assert main(["check", "--offline", str(tmp_path / "missing.md")]) == 2
    assert main(["check", "--format", "yaml", str(good)]) == 2
    err = capsys.readouterr().err
    assert "missing.md: no such file" in err


def test_json_shape(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text(BAD_POST + "\nSee https://example.com/page?utm_source=x&id=3 too.\n")
    assert main(["check", "--offline", "--format", "json", str(bad)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    (entry,) = data["files"]
    assert entry["path"] == str(bad)
    assert isinstance(entry["findings"], list)
    first = entry["links"][0]
    for key in (
        "kind",
        "url",
        "href",
        "text",
        "title",
        "line",
        "column",
        "start",
        "end",
        "findings",
    ):
        assert key in first
    text = bad.read_text()
    assert text[first["start"] : first["end"]] == "[run this](javascript:alert(1))"
    assert (first["line"], first["column"]) == (3, 8)
    rules = {f["rule"] for f in first["findings"]}
    assert "unsafe-scheme" in rules
    finding = first["findings"][0]
    for key in ("rule", "category", "severity", "message", "fixes"):
        assert key in finding
    assert set(data["summary"]) >= {"files", "links", "errors", "warnings", "infos"}
    assert data["summary"]["errors"] >= 1
    bare = entry["links"][1]
    tracking = [f for f in bare["findings"] if f["rule"] == "tracking-params"]
    assert tracking and tracking[0]["fixes"]
    fix = tracking[0]["fixes"][0]
    assert set(fix) >= {"title", "start", "end", "replacement"}
    assert "utm_source" not in fix["replacement"] and "id=3" in fix["replacement"]


def test_sarif_points_at_the_right_line(tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text(BAD_POST)
    main(["check", "--offline", "--format", "sarif", str(bad)])
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    result = next(r for r in run_["results"] if r["ruleId"] == "unsafe-scheme")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 8)
    assert result["level"] == "error"
    assert any(rule["id"] == "unsafe-scheme" for rule in run_["tool"]["driver"]["rules"])


def test_text_output_and_summary(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(BAD_POST)
    result = run("check", "--offline", bad)
    assert result.returncode == 1
    assert f"{bad}:3:8: error[unsafe-scheme]" in result.stdout
    assert "Checked 1 file, 1 link in" in result.stdout
    assert ": 1 error, " in result.stdout


def test_config_flag_and_ignore_marker(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(
        "# T\n\n<!-- linkwriter-ignore: unsafe-scheme -->\n"
        "Do not [run this](javascript:alert(1)).\n\n[click here](https://example.org/guide)\n"
    )
    config = tmp_path / "ci.toml"
    config.write_text('[rules]\nignore = ["generic-anchor"]\n')
    assert main(["check", "--offline", "--format", "json", "--config", str(config), str(post)]) == 0
    data = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for link in data["files"][0]["links"] for f in link["findings"]}
    assert "unsafe-scheme" not in rules and "generic-anchor" not in rules


def test_bad_config_is_one_line(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(CLEAN_POST)
    (tmp_path / ".linkwriter.toml").write_text('[rules.severity]\ninsecure-http = "loud"\n')
    assert main(["check", "--offline", str(post)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and ".linkwriter.toml:2" in err


def test_single_huge_line_is_refused_cleanly(tmp_path):
    post = tmp_path / "line.md"
    chunk = "word [a link](https://example.com/x) more words https://example.org/y "
    post.write_text("# Title\n\n" + chunk * (10_000_000 // len(chunk)) + "\n")
    result = run("check", "--offline", "--format", "json", post)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"linkwriter: {post}: line 3 is 9.5 MB long; LinkWriter reads lines up to 2 MB "
        "(is this minified or generated data?)"
    )
    data = json.loads(result.stdout)  # still exactly one JSON object, naming the failure
    assert data["files"] == []
    assert data["failures"] == [
        {"path": str(post), "error": result.stderr.strip()[len("linkwriter: ") :]}
    ]


def test_long_data_uri_line_is_fine(tmp_path):
    post = tmp_path / "img.md"
    post.write_text("# T\n\n![chart](data:image/png;base64," + "A" * 1_500_000 + ")\n")
    result = run("check", "--offline", "--format", "json", post)
    data = json.loads(result.stdout)
    assert data["summary"]["links"] == 1
    assert data["files"][0]["links"][0]["kind"] == "image"


def test_fifty_megabytes_is_refused_cleanly(tmp_path):
    post = tmp_path / "huge.md"
    with post.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("check", "--offline", post)
    assert result.returncode == 2
    assert "too large" in result.stderr and "Traceback" not in result.stderr


def test_clean_stdout_and_output_file(tmp_path, capsys):
    post = tmp_path / "post.md"
    raw = (
        "---\ntitle: T\n---\r\n\r\nSee https://example.com/p?utm_source=x&id=3 now.  \r\n"
        "Also [docs][d].\r\n\r\n[d]: https://docs.example/?fbclid=abc\r\n[u]: https://unused.example/\r\n"
        "```\r\nhttps://in-code.example/?utm_source=keep\r\n```\r\n"
    )
    post.write_bytes(raw.encode())
    out = tmp_path / "clean.md"
    assert main(["clean", str(post), "-o", str(out)]) == 0
    cleaned = out.read_bytes().decode()
    assert cleaned == raw.replace(
        "https://example.com/p?utm_source=x&id=3", "<https://example.com/p?id=3>"
    ).replace("https://docs.example/?fbclid=abc", "https://docs.example/").replace(
        "[u]: https://unused.example/\r\n", ""
    )
    assert main(["clean", str(out)]) == 0
    assert capsys.readouterr().out == cleaned  # idempotent


def test_clean_well_linked_post_has_no_findings_from_any_offline_provider(capsys):
    post = ROOT / "tests" / "data" / "clean-post.md"
    assert main(["check", "--offline", "--format", "json", str(post)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["links"] >= 10
    assert (data["summary"]["errors"], data["summary"]["warnings"], data["summary"]["infos"]) == (
        0,
        0,
        0,
    )


def test_post_wide_ignore_marker_is_honoured_by_check(tmp_path, capsys):
    post = tmp_path / "post.md"
    post.write_text(
        "# T\n\n<!-- linkwriter-ignore-post: generic-anchor -->\n\n"
        "Read [here](https://example.org/guide) and [here too](https://example.org/other).\n"
    )
    main(["check", "--offline", "--format", "json", str(post)])
    data = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for link in data["files"][0]["links"] for f in link["findings"]}
    assert "generic-anchor" not in rules
    post.write_text(post.read_text().replace("-post: generic-anchor", "-post: long-anchor"))
    main(["check", "--offline", "--format", "json", str(post)])
    data = json.loads(capsys.readouterr().out)
    rules = {f["rule"] for link in data["files"][0]["links"] for f in link["findings"]}
    assert "generic-anchor" in rules
