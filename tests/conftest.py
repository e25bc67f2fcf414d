"""Suite-wide safety: headless Qt, never the writer's real config, and no traffic beyond loopback.

The loopback guard makes "no test may reach beyond loopback" a property of the suite rather
than of each test's care: name lookups of anything but local names, and connections to any
address outside 127.0.0.0/8 and ::1, fail at once with an error naming the culprit. Subprocess
tests are covered by sitecustomize-free checks in their own files.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from hypothesis import settings

# CI explores the same examples every run (a submission must not hinge on a lucky draw);
# developers' runs draw new ones, and what they find becomes an explicit regression case.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKWRITER_NO_USER_CONFIG", "1")

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class BeyondLoopback(OSError):
    """A test tried to reach a host that is not this machine."""


def _is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower().rstrip(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost") or name == "":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        # A name that is not local would be resolved through the network: answer as a
        # resolver that knows no such name would, so "unknown host" code paths still run.
        raise socket.gaierror(socket.EAI_NONAME, f"test guard: no lookups beyond loopback ({host})")
    return _real_getaddrinfo(host, *args, **kwargs)


def _check_address(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise BeyondLoopback(f"test guard: connection to {address[0]} refused (loopback only)")


def _guarded_connect(self, address):
    _check_address(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    socket.getaddrinfo = _guarded_getaddrinfo
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    yield
    socket.getaddrinfo = _real_getaddrinfo
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex
