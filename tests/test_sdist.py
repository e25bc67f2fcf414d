"""The source archive carries what distributions and Flatpak builders need, and no build output."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sdist_names(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir",
                    str(out), str(ROOT)], check=True, capture_output=True)
    (archive,) = out.glob("linkwriter-*.tar.gz")
    with tarfile.open(archive) as tar:
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def test_sdist_has_the_packaging_files(sdist_names):
    tracked = subprocess.run(["git", "ls-files", "packaging", "resources/icons"], cwd=ROOT,
                             capture_output=True, text=True)
    expected = set(tracked.stdout.split()) if tracked.returncode == 0 else set()
    expected |= {"packaging/linux/io.github.linkwriter.LinkWriter.desktop",
                 "packaging/linux/io.github.linkwriter.LinkWriter.metainfo.xml",
                 "packaging/linux/io.github.linkwriter.LinkWriter.yml",
                 "packaging/pyinstaller/linkwriter.spec", "resources/icons/linkwriter.svg"}
    assert not expected - sdist_names, sorted(expected - sdist_names)


def test_sdist_leaves_out_build_output(sdist_names):
    leaked = [n for n in sdist_names
              if n.startswith(("packaging/pyinstaller/dist/", "packaging/pyinstaller/build/",
                               ".flatpak-builder/", "build-flatpak/"))]
    assert not leaked, leaked[:10]
