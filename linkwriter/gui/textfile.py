"""Reading and writing posts so that the bytes on disk survive the round trip.

The editor only knows "\\n"; the file may use CRLF, a UTF-8 BOM, or (rarely) mixed line
endings. We remember what we read and write the same form back, atomically (QSaveFile), and
if the text was not changed at all we write the original bytes untouched.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QIODevice, QSaveFile

from linkwriter.core.errors import LinkWriterError
from linkwriter.core.textio import decode_post, read_post_bytes


class SaveError(LinkWriterError):
    """The post could not be written; the message says where and why."""


@dataclass(slots=True)
class TextFormat:
    bom: bool = False
    newline: str = "\n"
    mixed: bool = False  # the file mixed line-ending styles; saving an edit unifies them


@dataclass(slots=True)
class LoadedText:
    text: str  # with "\n" line endings, as the editor holds it
    fmt: TextFormat
    raw: bytes  # the bytes as read, to write back untouched when the text did not change
    digest: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, name: str = "file") -> tuple[str, TextFormat]:
    text, bom = decode_post(data, name)  # the core's checks and messages (binary, not UTF-8)
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    styles = [(crlf, "\r\n"), (lf, "\n"), (cr, "\r")]
    used = [s for s in styles if s[0]]
    newline = max(used, key=lambda s: s[0])[1] if used else "\n"
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, TextFormat(bom=bom, newline=newline, mixed=len(used) > 1)


def encode(text: str, fmt: TextFormat) -> bytes:
    if fmt.newline != "\n":
        text = text.replace("\n", fmt.newline)
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if fmt.bom else data


def read_post(path: Path) -> LoadedText:
    data = read_post_bytes(path)  # the core's checks and messages, shared with the CLI
    text, fmt = decode(data, str(path))
    return LoadedText(text, fmt, data, digest(data))


def bytes_for_save(text: str, loaded: LoadedText | None, fmt: TextFormat) -> bytes:
    """The original bytes if the text is unchanged (exact round trip), else the text encoded."""
    if loaded is not None and text == loaded.text:
        return loaded.raw
    return encode(text, fmt)


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, flushed to disk, then renamed over the target."""
    f = QSaveFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.WriteOnly):
        raise SaveError(f"{path}: cannot write: {f.errorString()}")
    written = f.write(QByteArray(data))
    if written != len(data):
        f.cancelWriting()
        raise SaveError(f"{path}: write failed: {f.errorString()}")
    if not f.commit():
        raise SaveError(f"{path}: save failed: {f.errorString()}")
