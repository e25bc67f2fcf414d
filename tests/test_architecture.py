"""The core must stay Qt-free: an import-linter contract, run as part of the suite."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_does_not_import_qt():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [lint_imports, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept" in result.stdout, result.stdout


def test_no_network_at_import():
    """Importing every core module opens no socket."""
    code = (
        "import socket, pkgutil, importlib, linkwriter.core as c\n"
        "def boom(*a, **k): raise SystemExit('socket opened at import')\n"
        "socket.socket.connect = boom; socket.create_connection = boom; socket.getaddrinfo = boom\n"
        "for m in pkgutil.walk_packages(c.__path__, 'linkwriter.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import linkwriter.cli\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "ok", result.stdout + result.stderr


def test_suite_guard_refuses_traffic_beyond_loopback():
    """The conftest guard is live: lookups and connections beyond loopback fail at once."""
    import socket

    import pytest

    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.com", 443)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(OSError, match="loopback only"):
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1: refused before any packet leaves
    finally:
        sock.close()
    assert socket.getaddrinfo("127.0.0.1", 80)
