"""Python offsets (code points) <-> Qt positions (UTF-16 units), and line/column lookup."""

from hypothesis import given
from hypothesis import strategies as st

from linkwriter.core.offsets import LineIndex, Utf16Map

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\r\t") + ["😀", "中", "é", "𝄞", "\u200d"]))


@given(TEXT)
def test_utf16_roundtrip_matches_qt_units(text):
    mapping = Utf16Map(text)
    for i in range(len(text) + 1):
        units = len(text[:i].encode("utf-16-le")) // 2
        assert mapping.to_utf16(i) == units
        assert mapping.from_utf16(units) == i


def test_position_inside_surrogate_pair_maps_to_the_character():
    mapping = Utf16Map("a😀b")
    assert mapping.from_utf16(2) == 1  # between the two halves of the emoji


@given(TEXT)
def test_line_index_agrees_with_splitlines(text):
    index = LineIndex(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True) or [""], 1):
        if not any(ch in "\r\n" for ch in line) and number < len(lines):
            break  # splitlines also breaks on other separators; we only count CR/LF
        assert index.line_col(offset) == (number, 1)
        offset += len(line)


def test_line_index_crlf_and_cr():
    index = LineIndex("ab\r\ncd\ref\ngh")
    assert index.line_col(0) == (1, 1)
    assert index.line_col(4) == (2, 1)
    assert index.line_col(7) == (3, 1)
    assert index.line_col(11) == (4, 2)
