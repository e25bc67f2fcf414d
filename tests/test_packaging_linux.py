"""The Linux desktop files: desktop entry, AppStream metainfo, Flatpak manifest, install script.

The validators (appstreamcli from Debian's `appstream`, desktop-file-validate from
`desktop-file-utils`, flatpak-builder) are installed by `sh packaging/dev.sh test` when it runs as
root; elsewhere the tests that need them skip and say why.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

import linkwriter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.linkwriter.LinkWriter"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MANIFEST = LINUX / f"{APP_ID}.yml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


# --- validators ---------------------------------------------------------------------------------

def test_metainfo_passes_appstreamcli():
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli not installed (Debian package 'appstream'; dev.sh installs it)")
    result = subprocess.run([tool, "validate", "--no-net", "--explain", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_passes_desktop_file_validate():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate not installed (Debian package 'desktop-file-utils')")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# --- desktop entry ------------------------------------------------------------------------------

def test_desktop_entry_opens_markdown_with_a_declared_launcher():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert "text/markdown" in entry["MimeType"].split(";")
    command, *args = entry["Exec"].split()
    scripts = {**pyproject()["project"]["scripts"], **pyproject()["project"]["gui-scripts"]}
    assert command in scripts, f"Exec runs {command!r}, which pyproject.toml does not install"
    assert args and args[-1] in ("%f", "%F"), "Exec must pass the file that was opened"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";")


# --- metainfo -------------------------------------------------------------------------------------

def test_metainfo_names_this_app_and_its_desktop_entry():
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    assert root.findtext("project_license") == "MIT" == pyproject()["project"]["license"]
    binaries = {b.text for b in root.iter("binary")}
    assert binaries <= {*pyproject()["project"]["scripts"], *pyproject()["project"]["gui-scripts"]}
    assert "text/markdown" in {m.text for m in root.iter("mediatype")}


def test_newest_metainfo_release_is_the_package_version():
    """One version: linkwriter/__init__.py. Bumping it needs a release entry in the metainfo."""
    releases = [r.get("version") for r in metainfo().iter("release")]
    assert releases, "metainfo has no <release>"
    newest = max(releases, key=version_key)
    assert releases[0] == newest, "list <release> entries newest first"
    assert newest == linkwriter.__version__, (
        f"metainfo's newest release is {newest} but linkwriter.__version__ is "
        f"{linkwriter.__version__}: add a <release> entry to {METAINFO.name}")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", metainfo().find(".//release").get("date") or "")


def test_metainfo_screenshots_name_the_repository_screenshots():
    """Stores need absolute URLs, so the metainfo points at docs/screenshots/ under a placeholder
    base that must be replaced on publishing; the file names must be the ones the repo has."""
    images = [i.text for i in metainfo().iter("image")]
    assert images
    names = []
    for url in images:
        match = re.fullmatch(r"https://linkwriter\.invalid/(docs/screenshots/[\w.-]+\.png)", url)
        assert match, f"unexpected screenshot URL {url}"
        names.append(match.group(1))
    shots = ROOT / "docs" / "screenshots"
    if not shots.is_dir():
        pytest.skip("docs/screenshots/ not generated yet (made with `linkwriter --screenshot`)")
    missing = [n for n in names if not (ROOT / n).is_file()]
    assert not missing, f"metainfo names screenshots the repository lacks: {missing}"


# --- Flatpak manifest ---------------------------------------------------------------------------

def test_flatpak_manifest_has_the_required_keys():
    data = manifest()
    assert data["id"] == APP_ID
    assert data["runtime"] in ("org.freedesktop.Platform", "org.kde.Platform")
    assert data["sdk"] == data["runtime"].replace("Platform", "Sdk")
    assert re.fullmatch(r"[\d.]+", str(data["runtime-version"]))
    assert data["command"] in pyproject()["project"]["gui-scripts"]
    assert any(arg.startswith("--socket=wayland") for arg in data["finish-args"])
    assert data["modules"], "no modules"
    for module in data["modules"]:
        assert {"name", "buildsystem", "sources"} <= module.keys(), module.get("name")
        assert module.get("build-commands"), module["name"]


def test_flatpak_manifest_sources_and_installed_files_exist():
    data = manifest()
    checkout = None
    for module in data["modules"]:
        for source in module["sources"]:
            assert source["type"] in ("dir", "file", "git", "archive"), source
            if source["type"] in ("dir", "file"):
                path = (MANIFEST.parent / source["path"]).resolve()
                assert path.exists(), f"{module['name']}: {source['path']} does not exist"
                if source["type"] == "dir":
                    checkout = path
    assert checkout == ROOT, "the app module should build this checkout"
    # Every repository file the build commands install must exist.
    commands = " ".join(c for m in data["modules"] for c in m["build-commands"])
    sizes = re.search(r"for size in ([\d ]+);", commands)
    assert sizes and tuple(int(s) for s in sizes.group(1).split()) == ICON_SIZES
    referenced = set(re.findall(r"((?:packaging|resources)/[\w./${}-]+)", commands))
    assert any(r.endswith(".desktop") for r in referenced)
    assert any(r.endswith(".metainfo.xml") for r in referenced)
    for path in referenced:
        sizes_of = ICON_SIZES if "${size}" in path else (None,)
        for one in (path.replace("${size}", str(s)) for s in sizes_of):
            assert (ROOT / one).is_file(), f"manifest installs {one}, which does not exist"
    installs = re.findall(r"\$\{FLATPAK_DEST\}/share/(\S+)", commands)
    assert f"applications/{APP_ID}.desktop" in installs
    assert f"metainfo/{APP_ID}.metainfo.xml" in installs
    assert f"icons/hicolor/scalable/apps/{APP_ID}.svg" in installs


def test_flatpak_builder_reads_every_key_of_the_manifest(tmp_path):
    """flatpak-builder parses the manifest without a runtime: every key must survive the trip
    (an unknown key or source type is dropped with a warning, which fails this test)."""
    tool = shutil.which("flatpak-builder")
    if tool is None:
        pytest.skip("flatpak-builder not installed (Debian package 'flatpak-builder')")
    result = subprocess.run([tool, "--show-manifest", str(MANIFEST)], cwd=tmp_path,
                            capture_output=True, text=True)  # it leaves .flatpak-builder/ there
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "Unknown" not in result.stderr, result.stderr
    assert json.loads(result.stdout) == manifest()


def _requirement_names(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name = re.match(r"[A-Za-z0-9._-]+", line).group(0)
            out[re.sub(r"[-_.]+", "-", name).lower()] = line.replace(" ", "")
    return out


def test_flatpak_requirements_follow_pyproject():
    """Same dependencies as pyproject.toml, with PySide6 narrowed to its Essentials wheel."""
    declared = _requirement_names(pyproject()["project"]["dependencies"])
    flatpak = _requirement_names(
        (LINUX / "flatpak-requirements.txt").read_text(encoding="utf-8").splitlines())
    expected = dict(declared)
    expected["pyside6-essentials"] = expected.pop("pyside6").lower().replace(
        "pyside6", "pyside6-essentials")
    assert {k: v.lower() for k, v in flatpak.items()} == {k: v.lower() for k, v in expected.items()}


# --- per-user install script ----------------------------------------------------------------------

def test_install_script_installs_a_valid_entry_for_the_given_launcher(tmp_path):
    gui = tmp_path / "bin" / "linkwriter-gui"
    data = tmp_path / "share"
    env = dict(os.environ, LINKWRITER_GUI=str(gui), PATH="/usr/bin:/bin")
    result = subprocess.run(["sh", str(LINUX / "install-desktop-files.sh"), str(data)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    installed = data / "applications" / DESKTOP.name
    text = installed.read_text(encoding="utf-8")
    assert f"Exec={gui} %F" in text.splitlines()
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    for size in ICON_SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        source = ROOT / "resources" / "icons" / f"linkwriter-{size}.png"
        assert icon.read_bytes() == source.read_bytes()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(installed)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_install_script_refuses_without_a_launcher(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    script = LINUX / "install-desktop-files.sh"
    result = subprocess.run(["sh", str(script), str(tmp_path / "share")],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "linkwriter-gui is not on PATH" in result.stderr
    assert not (tmp_path / "share").exists()
