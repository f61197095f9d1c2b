"""Plain-text tables: column widths, wrapping and box drawing.

orbitview's tables are simple: each cell is a string, numbers align right, a value
is never split across lines (only free text, "prose", wraps at spaces), and the
caller has already chosen the columns that fit (:func:`orbitview.products.text.print_table`).
This module lays them out as rich's ``Table`` does (the same widths, wrapping, box
characters, centred title and left-aligned caption, byte for byte;
``tests/test_tables.py`` compares the two) without rich's console machinery, which
cost more start-up time than the rest of a command like ``orbitview launches``; only
rich's table of character widths (``rich.cells``) is used.  rich still draws the
progress bars and the live ``now --watch`` display.

A table wider than the width it is drawn at first narrows its prose columns, widest
first, down to the next widest (wrapping their text at spaces, folding a word only if
it is longer than the column); if that is not enough, every column gives up width in
turn and cut values end in an ellipsis.  On a terminal, headers are bold, the title
italic, the caption dim, and rows may carry a style (a colour such as ``yellow``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import cell_len

BOXES = {
    # top, header row, below the header, body row, bottom: left, fill, divider, right
    "unicode": ("┏━┳┓", "┃ ┃┃", "┡━╇┩", "│ ││", "└─┴┘"),
    "ascii": ("+--+", "| ||", "|-+|", "| ||", "+--+"),
}
"""rich's HEAVY_HEAD box, and the ASCII box it falls back to on a non-UTF output."""

SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "red": "31", "green": "32",
       "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}
"""ANSI select-graphic-rendition codes of the styles tables use."""
COLOURS = {"red", "green", "yellow", "blue", "magenta", "cyan"}

_WORD = re.compile(r"\s*\S+\s*")
_STRIPPED = str.maketrans("", "", "\x07\x08\x0b\x0c\r")
"""Control characters a cell may not hold (they would move the cursor)."""


@dataclass
class Column:
    header: str
    cells: list[str]
    right: bool = False
    """Right-aligned (numbers)."""
    prose: bool = False
    """Free text: may wrap at spaces.  Other values are never split."""

    def __post_init__(self):
        self.header = _clean(self.header)
        self.cells = [_clean(c) for c in self.cells]


@dataclass
class Table:
    columns: list[Column]
    title: str | None = None
    caption: str | None = None
    boxed: bool = True
    """A box with one space of padding in each cell; else columns two spaces apart."""
    row_styles: list[str | None] = field(default_factory=list)
    header_style: str = "bold"

    def __post_init__(self):
        self.title = _clean(self.title) if self.title else self.title
        self.caption = _clean(self.caption) if self.caption else self.caption

    def min_width(self) -> int:
        """The narrowest width (characters) the table takes without splitting a value: a
        column that does not wrap needs its longest cell, prose its longest word."""
        widths = []
        for column in self.columns:
            cells = [column.header, *column.cells]
            if column.prose:
                widths.append(max(cell_len(w) for c in cells for w in (c.split() or [""])))
            else:
                widths.append(max(cell_len(c) for c in cells))
        n = len(widths)
        return sum(widths) + (3 * n + 1 if self.boxed else 2 * n - 2)

    def render(self, width: int, styled: bool = False, ascii_box: bool = False,
               colour: bool = True) -> str:
        """The table drawn within ``width`` characters, one line per line of text.

        ``styled`` adds ANSI styles (for a terminal; ``colour=False`` keeps bold and
        italic but no colours, as NO_COLOR asks); ``ascii_box`` draws the box in ASCII.
        """
        if not self.columns:
            return "\n"
        n = len(self.columns)
        pads = [self._padding(i) for i in range(n)]
        extra = n + 1 if self.boxed else 0
        widths = self._widths(width - extra, pads)
        table_width = sum(widths) + extra

        def paint(text: str, style: str | None) -> str:
            if not styled or not style:
                return text
            codes = [SGR[s] for s in style.split() if s in SGR and (colour or s not in COLOURS)]
            return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text

        lines = []
        if self.title:
            lines += [paint(line, "italic")
                      for line in _wrap(self.title, table_width, "center", "fold", False)]
        lines += self._body(widths, pads, BOXES["ascii" if ascii_box else "unicode"], paint)
        if self.caption:
            lines += [paint(line, "italic dim")
                      for line in _wrap(self.caption, table_width, "left", "fold", False)]
        if table_width > width:        # narrower than its borders and padding: cut
            lines = [_crop_painted(line, width) for line in lines]
        return "".join(line + "\n" for line in lines)

    # ------------------------------------------------------------------ layout

    def _padding(self, index: int) -> tuple[int, int]:
        if self.boxed:
            return 1, 1
        return (0 if index == 0 else 1), (0 if index == len(self.columns) - 1 else 1)

    def _widths(self, available: int, pads) -> list[int]:
        """Width of each column, padding included, borders not."""
        natural = [max(_cell_width(c, available, sum(pad)) for c in [col.header, *col.cells])
                   for col, pad in zip(self.columns, pads)]
        widths = [w or 1 for w in natural]
        if sum(widths) <= available:
            return widths
        widths = _narrow_prose(widths, [c.prose for c in self.columns], available)
        if sum(widths) > available:                      # the last resort: every column
            widths = _take(sum(widths) - available, [1] * len(widths), widths, widths)
        return [max((_cell_width(c, w, sum(pad)) for c in [col.header, *col.cells]),
                    default=0) if w >= 1 else 0
                for col, pad, w in zip(self.columns, pads, widths)]

    def _body(self, widths, pads, box, paint) -> list[str]:
        top, head, below_head, body, bottom = box if self.boxed else (None,) * 5
        lines = []
        if self.boxed:
            lines.append(_rule(top, widths))
        rows = [[c.header for c in self.columns]]
        rows += [list(cells) for cells in zip(*(c.cells for c in self.columns))]
        for r, row in enumerate(rows):
            style = self.header_style if r == 0 else \
                (self.row_styles[r - 1] if r - 1 < len(self.row_styles) else None)
            cells = []
            for text, column, w, (left, right) in zip(row, self.columns, widths, pads):
                inner = w - left - right
                overflow = "fold" if column.prose else "ellipsis"
                texts = _wrap(text, inner, "right" if column.right else "left", overflow,
                              not column.prose)
                cells.append([" " * left + paint(t, style) + " " * right if inner >= 1
                              else " " * max(w, 0) for t in texts])
            height = max(len(c) for c in cells)
            for i, (cell, w) in enumerate(zip(cells, widths)):
                blank = [" " * w] * (height - len(cell))
                cells[i] = blank + cell if r == 0 else cell + blank    # headers sit low
            for k in range(height):
                parts = [cell[k] for cell in cells]
                if self.boxed:
                    edge = head if r == 0 else body
                    lines.append(edge[0] + edge[2].join(parts) + edge[3])
                else:
                    lines.append("".join(parts))
            if r == 0 and self.boxed:
                lines.append(_rule(below_head, widths))
        if self.boxed:
            lines.append(_rule(bottom, widths))
        return lines


def _clean(text: str) -> str:
    return str(text).translate(_STRIPPED)


def _rule(chars: str, widths) -> str:
    left, fill, divider, right = chars
    return left + divider.join(fill * w for w in widths) + right


def _cell_width(text: str, available: int, pad: int) -> int:
    """The width a cell asks for: its longest line and padding, within ``available``."""
    if available < 1:
        return 0
    longest = max((cell_len(line) for line in text.splitlines()), default=0)
    return min(longest + pad, available)


def _narrow_prose(widths: list[int], prose: list[bool], available: int) -> list[int]:
    """Narrow the widest prose columns to the next widest, and so on, until the table fits
    ``available`` (or every prose column has the same width and more is needed)."""
    excess = sum(widths) - available
    while any(prose) and sum(widths) and excess > 0:
        widest = max(w for w, p in zip(widths, prose) if p)
        next_widest = max((w if p and w != widest else 0) for w, p in zip(widths, prose))
        shares = [1 if p and w == widest else 0 for w, p in zip(widths, prose)]
        if not any(shares) or widest == next_widest:
            break
        widths = _take(excess, shares, [min(excess, widest - next_widest)] * len(widths),
                       widths)
        excess = sum(widths) - available
    return widths


def _take(total: int, shares: list[int], most: list[int], values: list[int]) -> list[int]:
    """Take ``total`` from ``values`` in proportion to ``shares`` (rounded half to even, the
    remainder carried to the next), at most ``most[i]`` from each."""
    shares = [s if m else 0 for s, m in zip(shares, most)]
    share_total = sum(shares)
    out = []
    for share, limit, value in zip(shares, most, values):
        if share and share_total > 0:
            taken = min(limit, round(share * total / share_total))
            out.append(value - taken)
            total -= taken
            share_total -= share
        else:
            out.append(value)
    return out


# ---------------------------------------------------------------------- text in a width

def _wrap(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """Lines of ``text`` in exactly ``width`` characters (``center`` pads both sides)."""
    if width < 1:
        return [""] * (text.count("\n") + 1)         # a column squeezed to its padding
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = line.expandtabs(8)
        pieces = [line] if no_wrap else \
            [_strip_beyond(p, width) for p in _split_at(line, _breaks(line, width))]
        for p in pieces:
            if justify == "left":
                p = _fit(p, width, overflow, pad=True)
            else:
                p = _fit(p.rstrip(), width, overflow)
                space = width - cell_len(p)
                left = space // 2 if justify == "center" else space
                p = " " * left + p + " " * (space - left)
            out.append(_fit(p, width, overflow, pad=True))
    return out


def _breaks(text: str, width: int) -> list[int]:
    """Where to break ``text`` into lines of at most ``width`` cells: before a word that
    does not fit the line; a word longer than a line is folded across lines."""
    breaks, used = [], 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width:
            chunks = _chop(word, width)
            for i, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if i == len(chunks) - 1:
                    used = cell_len(chunk)
                else:
                    start += len(chunk)
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _split_at(text: str, breaks: list[int]) -> list[str]:
    edges = [0, *breaks, len(text)]
    return [text[a:b] for a, b in zip(edges, edges[1:])]


def _strip_beyond(text: str, width: int) -> str:
    """Drop trailing whitespace that reaches beyond ``width`` characters."""
    excess = len(text) - width
    if excess <= 0:
        return text
    spaces = len(text) - len(text.rstrip())
    return text[:len(text) - min(spaces, excess)]


def _chop(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` cells."""
    pieces, current, used = [], "", 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width:             # (a character wider than the line: alone)
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += size
    if current:
        pieces.append(current)
    return pieces


def _fit(text: str, width: int, overflow: str, pad: bool = False) -> str:
    """``text`` cut to ``width`` cells (ending in an ellipsis for ``overflow='ellipsis'``),
    padded with spaces to ``width`` if ``pad``."""
    length = cell_len(text)
    if length > width:
        text = _crop(text, width - 1) + "…" if overflow == "ellipsis" else _crop(text, width)
    if pad and length < width:
        text += " " * (width - length)
    return text


def _crop_painted(line: str, width: int) -> str:
    """The first ``width`` cells of a line that may hold ANSI styles."""
    out, used, i = [], 0, 0
    while i < len(line):
        if line.startswith("\x1b[", i):
            end = line.index("m", i) + 1
            out.append(line[i:end])
            i = end
            continue
        size = cell_len(line[i])
        if used + size > width:
            out.append(" " * (width - used))       # half a wide character: a space
            break
        out.append(line[i])
        used += size
        i += 1
    text = "".join(out)
    return text + "\x1b[0m" if "\x1b[" in text and not text.endswith("\x1b[0m") else text


def _crop(text: str, width: int) -> str:
    """The first ``width`` cells of ``text`` (a wide character cut in half becomes a space)."""
    if width <= 0:
        return ""
    out, used = [], 0
    for ch in text:
        size = cell_len(ch)
        if used + size > width:
            break
        out.append(ch)
        used += size
    return "".join(out) + " " * (width - used)
