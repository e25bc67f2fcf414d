"""Read and write posts without losing a byte: encoding, BOM and line endings are remembered.

Bad input (missing, a folder, binary, not UTF-8, too big) becomes one clear InputError; the
file itself is never touched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from linkwriter.core.errors import InputError

MAX_BYTES = 20 * 1024 * 1024  # a blog post is far smaller; beyond this we refuse, clearly
MAX_LINE = 2 * 1024 * 1024  # one line this long is data, not prose; parsing it would take minutes
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class PostFile:
    path: Path
    text: str  # decoded, BOM removed, newlines exactly as in the file
    bom: bool
    newline: str  # the first newline style seen ("\n", "\r\n" or "\r"), for new text

    def encode(self, text: str) -> bytes:
        data = text.encode("utf-8")
        return BOM + data if self.bom else data


def decode_post(data: bytes, name: str = "<input>") -> tuple[str, bool]:
    """Decode UTF-8 (with or without BOM); anything else is an error that names the encoding."""
    if b"\x00" in data[:8192] and not _looks_utf16(data):
        raise InputError(f"{name}: looks like a binary file, not Markdown text")
    bom = data.startswith(BOM)
    try:
        text = data[len(BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(data)
        hint = f"; it looks like {guess}" if guess else ""
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}){hint}. "
            "Convert it to UTF-8 first (e.g. with iconv); LinkWriter will not guess and risk "
            "mangling it"
        ) from None
    return text, bom


def read_post_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or one clear InputError (missing, a folder, too big, unreadable)."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{p}: is a directory, not a Markdown file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{p}: too large ({size / 1_048_576:.1f} MB); LinkWriter reads posts up to "
                f"{max_bytes // 1_048_576} MB"
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None


def read_post(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> PostFile:
    p = Path(path)
    data = read_post_bytes(p, max_bytes)
    text, bom = decode_post(data, str(p))
    check_line_lengths(text, str(p))
    return PostFile(path=p, text=text, bom=bom, newline=detect_newline(text))


def check_line_lengths(text: str, name: str, max_line: int = MAX_LINE) -> None:
    """Refuse a single giant line up front instead of spending minutes on it."""
    if len(text) <= max_line:
        return
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > max_line:
            raise InputError(
                f"{name}: line {number} is {len(line) / 1_048_576:.1f} MB long; LinkWriter reads "
                f"lines up to {max_line // 1_048_576} MB (is this minified or generated data?)"
            )


def detect_newline(text: str) -> str:
    i = text.find("\n")
    j = text.find("\r")
    if j != -1 and (i == -1 or j < i):
        return "\r\n" if text[j : j + 2] == "\r\n" else "\r"
    return "\n"


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so a crash never leaves half."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _guess_encoding(data: bytes) -> str | None:
    if _looks_utf16(data):
        return "UTF-16"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency of requests
        return None
    best = from_bytes(data[:65536]).best()
    return best.encoding.replace("_", "-").upper() if best else None
