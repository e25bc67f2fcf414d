"""Map offsets in markdown-it-py's view of the text back to the text exactly as read.

markdown-it-py normalises line endings (CRLF/CR -> LF) and NUL, and inline content is the
block's lines with container prefixes (list markers, `>`) and indentation removed. Lines
correspond one to one, so a line table maps normalised offsets back; inline content lines
are located in their source line (a suffix, trimmed at the ends), verified, and fall back to
a character alignment when tab expansion or escaped table pipes make them differ.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import add

NEWLINE_RE = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    if "\r" not in text:
        return _lf_starts(text)
    return [0, *(m.end() for m in NEWLINE_RE.finditer(text))]


def _lf_starts(text: str) -> list[int]:
    """Start offsets of the lines of a text whose only line ending is LF."""
    lengths = [len(line) + 1 for line in text.split("\n")]
    lengths.pop()
    return list(accumulate(lengths, initial=0))


def normalize(body: str) -> str:
    """The string markdown-it-py actually parses."""
    if "\r" in body:
        body = NEWLINE_RE.sub("\n", body)
    if "\0" in body:
        body = body.replace("\0", "\ufffd")
    return body


class LineTable:
    """Lines of a normalised string (what markdown-it-py parses)."""

    def __init__(self, nsrc: str) -> None:
        self.nsrc = nsrc
        self.nstarts = _lf_starts(nsrc)

    def line_text(self, line: int) -> str:
        """Normalised line (0-based), without its newline."""
        start = self.nstarts[line]
        end = self.nstarts[line + 1] - 1 if line + 1 < len(self.nstarts) else len(self.nsrc)
        return self.nsrc[start:end]


def _normalized(body: str) -> tuple[str, bool]:
    """(what markdown-it-py parses, whether every line ending is CRLF)."""
    n_crlf = body.count("\r\n") if "\r" in body else 0
    crlf = n_crlf > 0 and body.count("\r") == n_crlf == body.count("\n")  # CRLF only
    if crlf:  # str.replace and index arithmetic are C speed; regex passes are not
        return normalize(body.replace("\r\n", "\n")), True
    return normalize(body), False


class BodyMap(LineTable):
    """Normalised body offsets <-> offsets in the original text; line/column lookup."""

    def __init__(self, text: str, body_start: int) -> None:
        self.text = text
        self.body_start = body_start
        body = text[body_start:]
        self._nsrc: str | None
        self._nsrc, crlf = _normalized(body)
        self.nlen = len(self._nsrc)
        self.nstarts = _lf_starts(self._nsrc)
        self.same = self.nlen == len(body)  # no CRLF: offsets shift by body_start only
        self.plain = self.same and self._nsrc == body  # no CR, no NUL: parsed as read
        self.ndiff: tuple[int, int] | None = None  # see spliced()
        if self.same:
            self.ostarts = self.nstarts
        elif crlf:  # line k starts k characters later in the text than in what was parsed
            self.ostarts = list(map(add, self.nstarts, range(len(self.nstarts))))
        else:
            self.ostarts = line_starts(body)
        # Line starts before the body (when the body starts at a line start, as it does
        # after front matter); the whole text's table is then made only when asked for.
        self._head: list[int] | None = None
        self._all: list[int] | None = None
        if body_start == 0:
            self._head = []
        elif text[body_start - 1] == "\n" or (
                text[body_start - 1] == "\r" and not text.startswith("\n", body_start)):
            self._head = line_starts(text[:body_start])[:-1]
        else:
            self._all = line_starts(text)

    @property  # type: ignore[override]
    def nsrc(self) -> str:
        """The normalised body (a spliced map makes it only when asked for)."""
        if self._nsrc is None:
            bs = self.body_start
            body = self.text[bs:] if bs else self.text
            self._nsrc = body if self.plain else _normalized(body)[0]
        return self._nsrc

    def nslice(self, a: int, b: int) -> str:
        """nsrc[a:b], without making nsrc: the text as read between the same places,
        normalised (a CR LF pair maps to one character, so it is never cut in two)."""
        if self._nsrc is not None:
            return self._nsrc[a:b]
        bs = self.body_start
        if self.plain:
            return self.text[bs + a:bs + b]
        return normalize(self.text[self.to_orig(a):self.to_orig(b) if b < self.nlen
                                   else len(self.text)])

    @property
    def all_starts(self) -> list[int]:
        """Line starts of the whole text (front matter included)."""
        if self._all is None:
            assert self._head is not None
            bs = self.body_start
            self._all = (self._head + [bs + x for x in self.ostarts]) if bs else self.ostarts
        return self._all

    @classmethod
    def spliced(cls, old: BodyMap, text: str, p: int, old_end: int, delta: int) -> BodyMap:
        """The map of `text`, made from `old` after an edit that replaced the old body's
        characters [p, old_end) (as read; same front matter): only the lines around the
        edit are normalised and scanned again, the rest is copied or shifted, and the
        normalised text is made only if asked for.

        The rescanned stretch starts at a line start before p and ends at a line start
        after old_end, so a CR LF pair is never split by its ends. `ndiff` is then where
        the normalised texts differ at most: (common prefix, common suffix) lengths.
        """
        assert old._head is not None
        new = cls.__new__(cls)
        new.text = text
        new.body_start = bs = old.body_start
        ostarts, nstarts = old.ostarts, old.nstarts
        k = bisect_right(ostarts, p - 1) - 1 if p > 0 else 0  # line starting before p
        j = bisect_right(ostarts, old_end)  # first line starting after old_end
        a = ostarts[k]
        b = ostarts[j] + delta if j < len(ostarts) else len(text) - bs
        region = text[bs + a:bs + b]
        new._nsrc = None
        if old.plain and "\r" not in region and "\0" not in region:
            new.plain = new.same = True  # parsed as read
            new.nlen = old.nlen + delta
            mid = [m.end() + a for m in re.finditer("\n", region)]
            if j < len(ostarts) and mid:
                mid.pop()  # the start of line j, shifted below
            new.nstarts = new.ostarts = nstarts[:k + 1] + mid + [x + delta for x in nstarts[j:]]
            new.ndiff = (p, old.nlen - old_end)
        else:
            nregion = normalize(region)
            na = nstarts[k]
            nb = nstarts[j] if j < len(nstarts) else old.nlen
            dn = na + len(nregion) - nb
            new.nlen = old.nlen + dn
            rn = _lf_starts(nregion)
            ro = line_starts(region) if len(nregion) != len(region) else rn
            if j < len(ostarts):  # the region ends where line j starts: shifted below
                rn, ro = rn[:-1], ro[:-1]
            new.nstarts = nstarts[:k] + [na + x for x in rn] + [x + dn for x in nstarts[j:]]
            new.same = new.nlen == len(text) - bs
            new.plain = (new.same and text.find("\r", bs) < 0  # (CRLF: stops early)
                         and text.find("\0", bs) < 0)
            new.ostarts = new.nstarts if new.same else (
                ostarts[:k] + [a + x for x in ro] + [x + delta for x in ostarts[j:]])
            new.ndiff = (na, old.nlen - nb)
        new._head = old._head
        new._all = None
        return new

    def to_orig(self, noff: int) -> int:
        if self.same:
            return self.body_start + noff
        k = bisect_right(self.nstarts, noff) - 1
        return self.body_start + self.ostarts[k] + (noff - self.nstarts[k])

    def line_col(self, offset: int) -> tuple[int, int]:
        head = self._head
        if head is not None and offset >= self.body_start:
            rel = offset - self.body_start
            starts = self.ostarts
            k = bisect_right(starts, rel)
            return len(head) + k, rel - starts[k - 1] + 1
        line = bisect_right(self.all_starts, offset)
        return line, offset - self.all_starts[line - 1] + 1


class ContentMap:
    """Maps offsets in one inline token's content to normalised body offsets.

    Lines are located lazily: most blocks are asked about a few offsets only.
    """

    __slots__ = ("_body", "_first_line", "_kind", "_cursor", "_lines", "bases", "cstarts",
                 "explicit")

    def __init__(self, body: LineTable, content: str, first_line: int, kind: str,
                 cursor: dict[int, int] | None = None, n_source_lines: int = 0) -> None:
        lines = content.split("\n")
        if n_source_lines > len(lines) and kind == "para":
            # str.strip() dropped whole lines of Unicode whitespace (e.g. NBSP) at the start.
            first = lines[0].rstrip()
            for skip in range(n_source_lines - len(lines) + 1):
                if body.line_text(first_line + skip).rstrip().endswith(first):
                    first_line += skip
                    break
        self._body = body
        self._first_line = first_line
        self._kind = kind
        self._cursor = cursor
        self._lines = lines
        self.cstarts: list[int] = []
        c = 0
        for cl in lines:
            self.cstarts.append(c)
            c += len(cl) + 1
        self.bases: list[int | None] = [None] * len(lines)
        self.explicit: dict[int, list[int]] = {}
        if kind == "cell":
            for k in range(len(lines)):
                self._line(k)  # cells advance a per-row cursor: locate in order

    def _line(self, k: int) -> int:
        base = self.bases[k]
        if base is not None:
            return base
        body = self._body
        ln = self._first_line + k
        if ln >= len(body.nstarts):
            base = len(body.nsrc)
        else:
            lstart = body.nstarts[ln]
            off, explicit = _locate(self._lines[k], body.line_text(ln), self._kind,
                                    k == len(self._lines) - 1, self._cursor, ln)
            if explicit is not None:
                self.explicit[k] = [lstart + p for p in explicit]
                base = lstart + explicit[0] if explicit else lstart
            else:
                base = lstart + off
        self.bases[k] = base
        return base

    def to_body(self, off: int) -> int:
        k = bisect_right(self.cstarts, off) - 1
        col = off - self.cstarts[k]
        base = self._line(k)
        ex = self.explicit.get(k)
        if ex is not None:
            return ex[min(col, len(ex) - 1)]
        return base + col

    def end_to_body(self, off: int) -> int:
        """Map an exclusive end offset (the position after the last character)."""
        if off <= 0:
            return self.to_body(0)
        return self.to_body(off - 1) + 1


def _locate(cl: str, src: str, kind: str, is_last: bool, cursor: dict[int, int] | None,
            ln: int) -> tuple[int, list[int] | None]:
    """Where content line `cl` starts in source line `src` (or per-character positions)."""
    if kind == "cell":
        start = cursor.get(ln, 0) if cursor is not None else 0
        if "|" in cl:
            pat = cl.replace("|", "\\|")
            at = src.find(pat, start)
            if at >= 0:
                positions = []
                p = at
                for ch in cl:
                    if ch == "|":
                        p += 1  # skip the backslash
                    positions.append(p)
                    p += 1
                positions.append(p)
                if cursor is not None:
                    cursor[ln] = at + len(pat)
                return 0, positions
        else:
            at = src.find(cl, start)
            if at >= 0:
                if cursor is not None:
                    cursor[ln] = at + len(cl)
                return at, None
    elif kind == "heading":
        hash_at = src.find("#")
        at = src.find(cl, hash_at + 1 if hash_at >= 0 else 0)
        if at >= 0:
            return at, None
    if src.endswith(cl):
        return len(src) - len(cl), None
    if is_last:
        stripped = src.rstrip()
        if stripped.endswith(cl):
            return len(stripped) - len(cl), None
    return 0, _align(cl, src)


def _align(cl: str, src: str) -> list[int]:
    """Right-anchored character alignment; tolerates removed prefixes and expanded tabs."""
    n = len(cl)
    positions = [0] * (n + 1)
    j = len(src) - 1
    i = n - 1
    while i >= 0:
        ch = cl[i]
        while j >= 0 and src[j] != ch and not (ch == " " and src[j] == "\t"):
            j -= 1
        if j < 0:
            break  # cannot align (should not happen): clamp the rest below
        positions[i] = j
        # A tab may stand for several spaces of the content: stay on it.
        if not (ch == " " and src[j] == "\t" and i > 0 and cl[i - 1] == " "):
            j -= 1
        i -= 1
    fill = positions[i + 1] if i + 1 < n else len(src)
    for q in range(i + 1):
        positions[q] = fill
    positions[n] = positions[n - 1] + 1 if n else len(src)
    return positions
