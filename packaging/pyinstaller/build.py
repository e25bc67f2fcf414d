"""Build the one-folder LinkWriter app with PyInstaller and report its size.

    python packaging/pyinstaller/build.py            # build into packaging/pyinstaller/dist/
    python packaging/pyinstaller/build.py --smoke    # then run the built binary's smoke checks

Works the same on Linux, Windows and macOS (run it on the OS you build for; PyInstaller does not
cross-compile). Needs the `package` extra: pip install -e '.[package]'.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPEC = HERE / "linkwriter.spec"
SAMPLE = ROOT / "resources" / "sample-post.md"
LINUX = ROOT / "packaging" / "linux"


def bundle_dir(dist: Path) -> Path:
    return dist / "linkwriter"


def executable(dist: Path, name: str = "linkwriter") -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_dir(dist) / f"{name}{suffix}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> float:
    """Run PyInstaller on the spec; return the seconds it took."""
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT, check=True,
    )
    if sys.platform.startswith("linux"):
        add_desktop_files(bundle_dir(dist))
    return time.monotonic() - start


def add_desktop_files(folder: Path) -> None:
    """Put the desktop entry, metainfo and their installer beside the Linux launchers, so the
    unpacked folder can add itself to the application menu (icons are in its resources)."""
    for path in LINUX.iterdir():
        if path.suffix in (".desktop", ".xml") or path.name == "install-desktop-files.sh":
            shutil.copy2(path, folder / path.name)


def smoke(dist: Path) -> None:
    """The checks CI runs on the built app: version, an offline check, a screenshot."""
    exe = executable(dist)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = [str(exe), "--version"]
    out = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120, check=True)
    print(f"smoke: {' '.join(run[1:])} -> {out.stdout.strip()}")
    run = [str(exe), "check", "--offline", str(SAMPLE)]
    out = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
    if out.returncode not in (0, 1):  # 1 = findings reported
        raise SystemExit(f"smoke: check failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    print(f"smoke: check --offline -> exit {out.returncode}, {len(out.stdout.splitlines())} lines")
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "shot.png"
        run = [str(exe), "--offline", "--screenshot", str(shot), str(SAMPLE)]
        out = subprocess.run(run, env=env, capture_output=True, text=True, timeout=300)
        if out.returncode != 0 or not shot.is_file():
            detail = f"{out.stdout}{out.stderr}"
            raise SystemExit(f"smoke: screenshot failed ({out.returncode}):\n{detail}")
        print(f"smoke: --screenshot -> {shot.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=HERE / "dist")
    parser.add_argument("--work", type=Path, default=HERE / "build")
    parser.add_argument("--smoke", action="store_true", help="run the built app's smoke checks")
    args = parser.parse_args(argv)
    seconds = build(args.dist, args.work)
    size = folder_size(bundle_dir(args.dist))
    print(f"build: {bundle_dir(args.dist)} in {seconds:.0f} s, {size / 2**20:.1f} MiB")
    if args.smoke:
        smoke(args.dist)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
