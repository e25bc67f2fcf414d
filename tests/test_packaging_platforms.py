"""Windows and macOS recipes: they cannot be built here, so check that they agree with the spec,
the build script and the files they name."""

from __future__ import annotations

import plistlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = (PACKAGING / "pyinstaller" / "linkwriter.spec").read_text(encoding="utf-8")
ISS = (PACKAGING / "windows" / "linkwriter.iss").read_text(encoding="utf-8")


def spec_executables() -> set[str]:
    return set(re.findall(r'^\s*name="(linkwriter[\w-]*)",$', SPEC, re.MULTILINE))


def iss_setting(name: str) -> str:
    match = re.search(rf"^{name}=(.+)$", ISS, re.MULTILINE)
    assert match, f"{name} missing from linkwriter.iss"
    return match.group(1).strip()


def test_spec_builds_the_two_launchers_and_the_folder():
    assert spec_executables() == {"linkwriter", "linkwriter-gui"}
    assert 'COLLECT(' in SPEC and 'exclude_binaries=True' in SPEC  # one folder, not one file


def test_installer_packs_the_pyinstaller_folder_and_its_launchers():
    iss_dir = PACKAGING / "windows"
    source = re.search(r'^Source: "([^"]+)"', ISS, re.MULTILINE).group(1)
    assert source.endswith("\\*")
    folder = (iss_dir / source[:-2].replace("\\", "/")).resolve()
    assert folder == (PACKAGING / "pyinstaller" / "dist" / "linkwriter").resolve()
    icon = (iss_dir / iss_setting("SetupIconFile").replace("\\", "/")).resolve()
    assert icon == (ROOT / "resources" / "icons" / "linkwriter.ico").resolve() and icon.is_file()
    started = set(re.findall(r"\{app\}\\([\w-]+)\.exe", ISS))
    assert started and started <= spec_executables()
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", iss_setting("AppId"))
    assert iss_setting("AppVersion") == "{#AppVersion}"  # passed in from linkwriter.__version__


def test_installer_offers_open_with_for_markdown():
    for extension in (".md", ".markdown"):
        assert f'Subkey: "Software\\Classes\\{extension}\\OpenWithProgids"' in ISS


def test_macos_entitlements_are_a_valid_plist_of_runtime_exceptions():
    data = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert data and all(k.startswith("com.apple.security.cs.") for k in data)
    assert all(v is True for v in data.values())
    assert "packaging\" / \"macos\" / \"entitlements.plist" in SPEC


def test_macos_bundle_uses_the_app_id_and_the_icns():
    assert 'bundle_identifier="io.github.linkwriter.LinkWriter"' in SPEC
    assert '"linkwriter.icns"' in SPEC
    assert (ROOT / "resources" / "icons" / "linkwriter.icns").is_file()
    assert '"LSHandlerRank": "Alternate"' in SPEC
