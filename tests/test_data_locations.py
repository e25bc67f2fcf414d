"""The data-locations table in packaging/README.md is true: recomputed from platformdirs' own
code for Linux, macOS and Windows, and tied to the folders LinkWriter's code asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

ROOT = Path(__file__).resolve().parent.parent
APP = "linkwriter"
FAKE_HOME = "/HOME"
FAKE_LOCALAPPDATA = "C:\\LOCALAPPDATA"
ROWS = {"config": "Settings", "cache": "Link-check cache", "recovery": "Recovery copies"}


@pytest.fixture
def fake_env(monkeypatch):
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
                "LINKWRITER_DATA_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", FAKE_HOME)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", FAKE_LOCALAPPDATA)


def table(markdown: str) -> dict[str, list[str]]:
    """Row label -> [Linux, macOS, Windows] cells, with the backquotes removed."""
    section = markdown.split("## Where LinkWriter keeps its files", 1)
    assert len(section) == 2, "no 'Where LinkWriter keeps its files' section"
    rows = {}
    for line in section[1].splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4:
            rows[cells[0]] = cells[1:]
    return rows


def expected() -> dict[str, list[str]]:
    def posix(path: str) -> str:
        return path.replace(FAKE_HOME, "~", 1) + "/"

    def windows(path: str) -> str:
        return path.replace(FAKE_LOCALAPPDATA, "%LOCALAPPDATA%", 1).replace("/", "\\") + "\\"

    linux, mac, win = (cls(appname=APP, appauthor=False) for cls in (Unix, MacOS, Windows))
    return {
        "config": [posix(linux.user_config_dir), posix(mac.user_config_dir),
                   windows(win.user_config_dir)],
        "cache": [posix(linux.user_cache_dir), posix(mac.user_cache_dir),
                  windows(win.user_cache_dir)],
        "recovery": [posix(linux.user_data_dir + "/recovery"),
                     posix(mac.user_data_dir + "/recovery"),
                     windows(win.user_data_dir + "\\recovery")],
    }


def row(rows: dict[str, list[str]], key: str) -> list[str]:
    label = next((k for k in rows if k.startswith(ROWS[key])), None)
    assert label, f"no '{ROWS[key]}' row in the data-locations table"
    return rows[label]


@pytest.mark.parametrize("key", ROWS)
def test_packaging_readme_table_matches_platformdirs(fake_env, key):
    rows = table((ROOT / "packaging" / "README.md").read_text(encoding="utf-8"))
    assert row(rows, key) == expected()[key]


def test_project_readme_table_matches_when_present(fake_env):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    if "## Where LinkWriter keeps its files" not in text:
        pytest.skip("README.md has no data-locations section yet")
    rows = table(text)
    for key in ROWS:
        assert row(rows, key) == expected()[key]


def test_config_folder_is_the_documented_one(fake_env):
    from linkwriter.core.config import user_config_dir

    assert user_config_dir() == Path(FAKE_HOME, ".config", APP)


def test_cache_file_is_in_the_documented_folder(fake_env):
    cache = pytest.importorskip("linkwriter.core.net.cache", reason="link checker not merged yet")
    path = cache.default_cache_path()
    assert path.parent == Path(FAKE_HOME, ".cache", APP)
    rows = table((ROOT / "packaging" / "README.md").read_text(encoding="utf-8"))
    label = next(k for k in rows if k.startswith(ROWS["cache"]))
    assert f"({path.name})" in label.replace("`", "")


def test_recovery_copies_are_in_the_documented_folder(fake_env):
    storage = pytest.importorskip("linkwriter.gui.storage", reason="desktop app not merged yet")
    assert storage.recovery_dir() == Path(FAKE_HOME, ".local", "share", APP, "recovery")


def test_data_dir_override_is_documented():
    text = (ROOT / "packaging" / "README.md").read_text(encoding="utf-8")
    assert re.search(r"`LINKWRITER_DATA_DIR`", text)


@pytest.mark.parametrize(("readme", "column"), [("windows", 2), ("macos", 1)])
def test_platform_readmes_name_the_same_folders(fake_env, readme, column):
    text = (ROOT / "packaging" / readme / "README.md").read_text(encoding="utf-8")
    paths = expected()
    for key, file_name in (("config", "config.toml"), ("cache", "netcheck.sqlite3"),
                           ("recovery", "")):
        assert f"`{paths[key][column]}{file_name}`" in text, f"{readme}: {key} folder"


def test_keyring_names_in_the_docs_are_the_ones_the_code_uses():
    safebrowsing = pytest.importorskip("linkwriter.core.net.safebrowsing")
    ai = pytest.importorskip("linkwriter.core.suggest.ai")
    names = {(safebrowsing.KEYRING_SERVICE, safebrowsing.KEYRING_USER),
             (ai.KEYRING_SERVICE, ai.KEYRING_USERNAME)}
    for doc in ("README.md", "windows/README.md", "macos/README.md"):
        text = (ROOT / "packaging" / doc).read_text(encoding="utf-8")
        for service, user in names:
            assert f"`{service}`" in text and f"`{user}`" in text, (doc, service, user)
