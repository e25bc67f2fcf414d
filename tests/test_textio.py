"""Bad input gets one clear line and loses nothing; good input round-trips byte for byte."""

import pytest

from linkwriter.core.errors import InputError
from linkwriter.core.textio import read_post, write_atomic


def test_roundtrip_crlf_bom_trailing_spaces(tmp_path):
    raw = b"\xef\xbb\xbf# T\r\n\r\nSee [a](https://a.example/)  \r\nend\r\n"
    path = tmp_path / "p.md"
    path.write_bytes(raw)
    post = read_post(path)
    assert post.bom and post.newline == "\r\n"
    assert post.text.startswith("# T\r\n")
    assert post.encode(post.text) == raw


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary"),
        (
            lambda p: p.write_bytes(
                "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, d\u00e9j\u00e0 vu, "
                "na\u00efve fa\u00e7ade".encode("latin-1")
                * 20
            ),
            "not valid UTF-8",
        ),
        (lambda p: p.write_bytes("\ufeffhello".encode("utf-16")), "UTF-16"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, make, expected):
    path = tmp_path / "bad.md"
    make(path)
    with pytest.raises(InputError) as info:
        read_post(path)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert str(path) in message


def test_latin1_names_the_encoding(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes(
        "Les cr\u00e8mes br\u00fbl\u00e9es \u00e0 la fran\u00e7aise sont d\u00e9licieuses. ".encode(
            "cp1252"
        )
        * 30
    )
    with pytest.raises(InputError) as info:
        read_post(path)
    assert "looks like" in str(info.value)


def test_too_big_is_refused_without_reading(tmp_path):
    path = tmp_path / "big.md"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError, match="too large"):
        read_post(path)


def test_write_atomic_keeps_mode_and_replaces(tmp_path):
    path = tmp_path / "out.md"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
