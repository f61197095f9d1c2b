"""Tables drawn by orbitview.products.tables equal rich's drawing of the same table, byte for byte.

Reference: rich's ``Table`` printed by a ``Console`` of the same width, built the way
orbitview built its tables before it drew them itself (heavy-headed box or no box,
prose columns folding, other columns cut with an ellipsis, centred title, caption on
the left).  rich stays a dependency (progress bars, ``now --watch``), so it is the
oracle here.  Cell texts avoid '[' and ':', which rich reads as markup and emoji
codes; orbitview shows them literally (tested below).
"""

from __future__ import annotations

import io

from hypothesis import example, given
from hypothesis import strategies as st

from orbitview.products.tables import Column, Table

WORD = st.text(alphabet="abcdefgh-.,°0123456789ÉÜ", min_size=1, max_size=14)
WIDE_WORD = st.text(alphabet="ab中文日本", min_size=1, max_size=8)
TEXT = st.lists(st.one_of(WORD, WORD, WIDE_WORD), min_size=0, max_size=9).map(" ".join)


def rich_text(table: Table, width: int) -> str:
    from rich.console import Console
    from rich.table import Table as RichTable
    extra = {"box": None, "pad_edge": False} if not table.boxed else {}
    rt = RichTable(title=table.title, caption=table.caption, caption_justify="left",
                   header_style=table.header_style, show_lines=False, **extra)
    for c in table.columns:
        rt.add_column(c.header, no_wrap=not c.prose, overflow="fold" if c.prose else "ellipsis",
                      justify="right" if c.right else "left")
    for cells in zip(*(c.cells for c in table.columns)):
        rt.add_row(*cells)
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, soft_wrap=False).print(rt)
    return out.getvalue()


@st.composite
def tables(draw):
    n_cols = draw(st.integers(1, 5))
    n_rows = draw(st.integers(0, 5))
    columns = [Column(draw(WORD), [draw(TEXT) for _ in range(n_rows)], right=draw(st.booleans()),
                      prose=draw(st.booleans())) for _ in range(n_cols)]
    return Table(columns, title=draw(st.none() | TEXT), caption=draw(st.none() | TEXT),
                 boxed=draw(st.booleans()))


@given(table=tables(), width=st.integers(0, 120))
@example(table=Table([Column("name", ["PRSS-1", "PakSat-MM1"]),
                      Column("note", ["Jiuquan Satellite Launch Center", ""], prose=True),
                      Column("n", ["1", "20"], right=True)],
                     title="A title longer than the table is wide", caption="x y"), width=24)
@example(table=Table([Column("0", []), Column("0", []), Column("000000000", [])], boxed=False),
         width=0)                         # columns squeezed below their padding
@example(table=Table([Column("0", [""]), Column("0", ["0 中"], prose=True), Column("0", [""]),
                      Column("0", ["a中中"])], boxed=False), width=0)   # a wide word folded
@example(table=Table([Column("0", [""]), Column("0", [""]), Column("0", ["0 0 0 0 0 0 0 0"]),
                      Column("0", ["aa中aaa中"]), Column("0", [""])], boxed=False),
         width=0)                         # a line cut in a wide character
def test_same_as_rich(table, width):
    width = max(width, table.min_width() if width % 2 else 3 * len(table.columns) + 2)
    assert table.render(width) == rich_text(table, width)


def test_launch_table_layout():
    # Hand-checked: box, centred title, right-aligned numbers, prose wrapped at a space.
    t = Table([Column("name", ["PRSS-1"]), Column("site", ["Jiuquan Satellite Launch Center"],
                                                  prose=True),
               Column("norad_id", ["43530"], right=True)],
              title="Launches", caption="One row.")
    assert t.min_width() == 6 + 9 + 8 + 3 * 3 + 1
    assert t.render(33).splitlines() == [
        "            Launches             ",
        "┏━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━┓",
        "┃ name   ┃ site      ┃ norad_id ┃",
        "┡━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━┩",
        "│ PRSS-1 │ Jiuquan   │    43530 │",
        "│        │ Satellite │          │",
        "│        │ Launch    │          │",
        "│        │ Center    │          │",
        "└────────┴───────────┴──────────┘",
        "One row.                         ",
    ]


def test_brackets_and_colons_are_shown_as_written():
    # rich read "[unconfirmed]" as markup and dropped it; a value is text, never markup.
    t = Table([Column("note", ["[unconfirmed] launch :rocket:"])], boxed=False)
    assert t.render(80) == "note                         \n[unconfirmed] launch :rocket:\n"


def test_terminal_styles_and_ascii_box():
    t = Table([Column("name", ["PRSS-1"])], title="T", row_styles=["yellow"])
    styled = t.render(20, styled=True).splitlines()
    assert styled[0] == "\x1b[3m    T     \x1b[0m"                 # italic title
    assert styled[2] == "┃ \x1b[1mname  \x1b[0m ┃"                  # bold header
    assert styled[4] == "│ \x1b[33mPRSS-1\x1b[0m │"                # the row's colour
    assert t.render(20, styled=True, colour=False).splitlines()[4] == "│ PRSS-1 │"
    assert t.render(20, ascii_box=True).splitlines()[1:6] == [
        "+--------+", "| name   |", "|--------|", "| PRSS-1 |", "+--------+"]


def test_number_columns_align_right_whatever_the_first_row(capsys, monkeypatch):
    # A radar has no published GSD: a first row without a value left-aligned the whole
    # column ('1.00  ' under 'GSD m'); an age just before the epoch showed as '-0.0'.
    from orbitview.products.text import print_table
    monkeypatch.setenv("COLUMNS", "80")
    rows = [{"name": "PRSC-S1", "gsd_m": None, "age": -0.04},
            {"name": "PRSC-EO1", "gsd_m": 1.0, "age": 77.04}]
    print_table(rows, ["name", "gsd_m", "age"], styles={"gsd_m": "2"}, plain=True)
    assert capsys.readouterr().out.splitlines() == [
        "name      gsd_m   age",
        "PRSC-S1           0.0",
        "PRSC-EO1   1.00  77.0",
    ]


def test_captions_break_only_at_spaces():
    """Figure captions (geo-belt, design, partners, sky, element history) are filled by
    output.fill_words: a source such as PRSS-1's 'jtmiclat/celestrak-historical@011c609c'
    (data/tles/provenance.csv) or a negative number is never cut at its hyphen."""
    import textwrap

    from orbitview.util.text import fill_words
    text = ("Source: CelesTrak GROUP=active via jtmiclat/celestrak-historical@011c609c, "
            "elements of 2026-06-26, drift -0.012 deg/day")
    width = text.index("historical") + 3          # textwrap's default breaks after 'celestrak-'
    assert "celestrak-\n" in textwrap.fill(text, width)
    filled = fill_words(text, width)
    assert filled.replace("\n", " ") == text
    assert "jtmiclat/celestrak-historical@011c609c," in filled.split()
    assert "-0.012" in filled.split()
