"""Posts survive open/save byte for byte: CRLF, BOM, trailing spaces, mixed endings."""

from __future__ import annotations

import codecs

import pytest

from linkwriter.core.errors import InputError
from linkwriter.gui.textfile import decode, encode, read_post

SAMPLES = [
    b"# Title\n\nText with [a link](https://example.com).\n",
    b"# Title\r\n\r\nTrailing spaces   \r\nlast line without newline",
    codecs.BOM_UTF8 + b"BOM post\r\n  indented  \r\n",
    "Emoji \U0001f35e and CJK \u4e2d\u6587 and NBSP\u00a0here\n".encode(),
    b"old mac\rline endings\r",
    b"",
]


@pytest.mark.parametrize("data", SAMPLES)
def test_decode_encode_round_trip(data):
    text, fmt = decode(data)
    assert "\r" not in text
    assert encode(text, fmt) == data


def test_mixed_endings_flagged():
    text, fmt = decode(b"a\r\nb\nc\r\n")
    assert fmt.mixed and fmt.newline == "\r\n"
    assert text == "a\nb\nc\n"


def test_binary_and_bad_utf8_rejected(tmp_path):
    p = tmp_path / "x.md"
    p.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="not valid UTF-8"):
        read_post(p)
    p.write_bytes(b"abc\x00def")
    with pytest.raises(InputError, match="binary"):
        read_post(p)
    with pytest.raises(InputError, match="no such file"):
        read_post(tmp_path / "missing.md")
