"""The wheel ships resources/ and the installed copy (not the checkout) finds them."""

import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("linkwriter-*.whl")
    return path


def test_wheel_contains_resources_and_entry_points(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "linkwriter/resources/sample-post.md" in names
        assert any(n.startswith("linkwriter/resources/lists/") for n in names)
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert "linkwriter = linkwriter.cli:main" in text
    assert "[gui_scripts]" in text
    sections = _entry_point_sections(text)
    assert sections["console_scripts"] == {"linkwriter": "linkwriter.cli:main"}
    assert sections["gui_scripts"] == {"linkwriter-gui": "linkwriter.cli:gui_main"}
    assert "linkwriter/resources/icons/linkwriter.svg" in names
    assert "linkwriter/resources/icons/linkwriter-256.png" in names


def _entry_point_sections(text: str) -> dict[str, dict[str, str]]:
    import configparser

    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str
    parser.read_string(text)
    return {name: dict(parser[name]) for name in parser.sections()}


def test_installed_copy_finds_its_resources(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(
        subprocess.run(
            [
                venv / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Dependencies come from the test environment; linkwriter itself only from the wheel.
    deps = [
        p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()
    ]
    (purelib / "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ]
        if _pip_supports_python()
        else [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(purelib),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    code = (
        "import linkwriter.core.resources as r, linkwriter, sys\n"
        "assert 'site-packages' in linkwriter.__file__, linkwriter.__file__\n"
        "print(r.resource_path('sample-post.md'))\n"
    )
    result = subprocess.run(
        [venv / "bin" / "python", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found.is_file() and str(purelib) in str(found)
    cli = venv / "bin" / "linkwriter"
    if cli.exists():
        result = subprocess.run(
            [cli, "check", "--offline", "--format", "json", str(found)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode in (0, 1), result.stderr
        assert '"version": 1' in result.stdout


def _pip_supports_python() -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True
    )
    major = int(result.stdout.split()[1].split(".")[0])
    return major >= 22
