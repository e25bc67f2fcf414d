"""Config merges user, project and explicit files; mistakes name file, line and key."""

import pytest

from linkwriter.core.config import Config, load_config, merge_file
from linkwriter.core.errors import ConfigError

EXAMPLE = """
[domains]
trusted = ["example.edu"]
blocked = ["spam.example"]
partners = ["friend.example"]
[rules]
ignore = ["long-anchor"]
[rules.severity]
insecure-http = "error"
"""


def test_issue_example_loads(tmp_path):
    (tmp_path / ".linkwriter.toml").write_text(EXAMPLE)
    post = tmp_path / "sub" / "post.md"
    post.parent.mkdir()
    post.write_text("x")
    config = load_config(post, use_user_config=False)
    assert config.trusted == ["example.edu"]
    assert config.blocked == ["spam.example"]
    assert config.partners == ["friend.example"]
    assert config.ignore == ["long-anchor"]
    assert config.severity == {"insecure-http": "error"}
    assert config.sources == [tmp_path / ".linkwriter.toml"]


def test_explicit_config_merges_last(tmp_path):
    (tmp_path / ".linkwriter.toml").write_text(EXAMPLE)
    extra = tmp_path / "ci.toml"
    extra.write_text(
        '[rules.severity]\ninsecure-http = "info"\n[domains]\ntrusted = ["b.example"]\n'
    )
    post = tmp_path / "post.md"
    post.write_text("x")
    config = load_config(post, extra, use_user_config=False)
    assert config.severity["insecure-http"] == "info"
    assert config.trusted == ["example.edu", "b.example"]


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ('[rules.severity]\ninsecure-http = "fatal"\n', ":2: key 'rules.severity.insecure-http'"),
        ('[domains]\n\ntrusted = "example.edu"\n', ":3: key 'domains.trusted'"),
        ("[network]\ntimeout = true\n", ":2: key 'network.timeout'"),
        ('[network]\nexclude = ["(unclosed"]\n', ":2: key 'network.exclude'"),
        ("[rules\nignore = 1\n", "invalid TOML"),
    ],
)
def test_bad_config_names_file_line_and_key(tmp_path, toml, where):
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        merge_file(Config(), path)
    assert str(path) in str(info.value)
    assert where in str(info.value)


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(None, tmp_path / "nope.toml", use_user_config=False)
