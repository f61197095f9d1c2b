"""Render plain rows (lists of dicts) as a table, CSV or JSON.

Computation returns rows; only this module decides how they look.  JSON keeps
numbers as numbers and missing values as ``null``; CSV writes missing values
as empty fields; tables are drawn by :mod:`orbitview.products.tables`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import sys

from orbitview.util.text import fill_words  # noqa: F401  (re-exported)
from orbitview.util.timeutil import round_event_times  # noqa: F401  (re-exported)

FORMATS = ("table", "csv", "json")


def _plain(value):
    if isinstance(value, dt.datetime):
        # Whole seconds in every zone: a local time cut as the UTC one is (same instant).
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.utcoffset() == dt.timedelta(0) \
            else value.isoformat(timespec="seconds")
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def to_json(rows: list[dict]) -> str:
    return json.dumps([{k: _plain(v) for k, v in r.items()} for r in rows],
                      indent=2, ensure_ascii=False)


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = _plain(r.get(c))
            if isinstance(v, list):
                v = "; ".join(map(str, v))
            out.append("" if v is None else v)
        writer.writerow(out)
    return buf.getvalue()


def terminal_width(file=None) -> int:
    """Columns to fit tables in: the terminal's width, or ``COLUMNS`` (200 when output
    goes to a file or a pipe, so that tables are not wrapped there)."""
    stream = file or sys.stdout
    columns = os.environ.get("COLUMNS", "")
    if not _isatty(stream):
        return int(columns) if columns.isdigit() else 200
    if columns.isdigit():
        return int(columns)
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(file=None):
    """A rich Console as wide as :func:`terminal_width` (progress bars, ``now --watch``)."""
    from rich.console import Console
    width = None if (file or sys.stdout).isatty() else terminal_width(file)
    return Console(file=file, width=width, highlight=False, soft_wrap=False)


def write_table(table, width: int, file=None) -> None:
    """Draw a :class:`~orbitview.products.tables.Table` within ``width`` characters on ``file``
    (stdout): ANSI styles on a terminal (colours unless NO_COLOR is set), an ASCII box
    where the output cannot encode the box characters."""
    stream = file or sys.stdout
    styled = (_isatty(stream) or bool(os.environ.get("FORCE_COLOR"))) and \
        os.environ.get("TERM", "").lower() not in ("dumb", "unknown")
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    stream.write(table.render(width, styled=styled, ascii_box=not encoding.startswith("utf"),
                              colour=not os.environ.get("NO_COLOR")))


def make_table(rows, columns, title, headers, caption, styles, plain: bool = False):
    """A :class:`~orbitview.products.tables.Table` of ``rows``; ``plain`` draws no box (columns two
    spaces apart) to save width."""
    from orbitview.products.tables import Column, Table
    headers = headers or {}
    out = []
    for c in columns:
        cells = []
        for r in rows:
            v = r.get(c)
            if isinstance(v, float):
                v = "" if math.isnan(v) else _fixed(v, int((styles or {}).get(c, "1")))
            elif isinstance(v, dt.datetime):
                v = v.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(v, list):
                v = "; ".join(map(str, v))
            cells.append("" if v is None else str(v))
        # A value is never cut ("NOR…") or split across lines ("116.|6", "decayed|1990"):
        # columns that do not fit are left out instead, and said so (print_table).
        out.append(Column(str(headers.get(c, c)), cells, right=_is_number(rows, c)))
    return Table(out, title=title, caption=caption, boxed=not plain,
                 row_styles=[r.get("_style") for r in rows],
                 header_style="bold underline" if plain else "bold")


def _fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals; one that rounds to zero is '0.0', not '-0.0'."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _is_number(rows, column) -> bool:
    """A column of numbers (right-aligned): its values are numbers where it has any, so a
    first row without a value (a radar's blank GSD) does not left-align the rest."""
    values = [r.get(column) for r in rows if r.get(column) is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                for v in values)


def table_width(table) -> int:
    """Narrowest width (characters) at which ``table`` is drawn without splitting a value."""
    return table.min_width()


def fit_columns(rows, columns, drop_order, width, headers=None, styles=None,
                plain: bool = False, more: bool = True) -> tuple[list[str], list[str]]:
    """Columns that fit ``width`` and those dropped: ``drop_order`` first to last, then
    (``more``), if the table is still too wide, the others from the right (the first
    column, which names the row, stays).  Values are never shortened to make a table fit."""
    cols, dropped = list(columns), []
    order = [c for c in (drop_order or []) if c in columns]
    if more:
        order += [c for c in reversed(columns[1:]) if c not in order]
    for name in order:
        if table_width(make_table(rows, cols, None, headers, None, styles, plain)) <= width:
            break
        cols.remove(name)
        dropped.append(name)
    return cols, dropped


def fits(rows, columns, width, headers=None, styles=None, plain: bool = False) -> bool:
    return table_width(make_table(rows, columns, None, headers, None, styles, plain)) <= width


def left_out_note(names, width: int, wide_option: bool = False) -> str:
    """The line under a table that left columns out: which, and where to see them."""
    where = ("--wide, a wider terminal or --format csv/json shows them" if wide_option else
             "a wider terminal or --format csv/json shows them")
    return f"Left out to fit {width} columns: {', '.join(names)} ({where})."


def print_table(rows: list[dict], columns: list[str], title: str | None = None,
                headers: dict[str, str] | None = None, caption: str | None = None,
                styles: dict[str, str] | None = None, drop_order: list[str] | None = None,
                wide: bool = False, plain: bool = False, left_out=(),
                wide_option: bool = False) -> None:
    """A table on stdout that fits the terminal.

    Values are never cut or split across lines.  When the table is wider than the
    terminal it is drawn without its box, then columns are left out (``drop_order``
    first to last, then from the right; the first column stays) until it fits, and a
    line under the table names them (with ``left_out``, the columns the caller left out
    already) and where to see them (``wide_option``: the command has --wide).
    ``wide=True`` keeps every column.  A single column wider than the terminal is
    drawn whole.
    """
    width = terminal_width()
    cols, dropped = list(columns), []
    if not wide and not fits(rows, cols, width, headers, styles, plain):
        # The caller's drop_order in a box; without the box when that keeps more columns
        # or the box cannot fit at all, and only then any other column, from the right.
        cols, dropped = fit_columns(rows, columns, drop_order, width, headers, styles, plain,
                                    more=plain)
        if not plain:
            cols_plain, dropped_plain = fit_columns(rows, columns, drop_order, width, headers,
                                                    styles, plain=True)
            if not fits(rows, cols, width, headers, styles) or \
                    len(dropped_plain) < len(dropped):
                cols, dropped, plain = cols_plain, dropped_plain, True
    table = make_table(rows, cols, title, headers, caption, styles, plain)
    write_table(table, max(table_width(table), width))
    names = [(headers or {}).get(c, c) for c in [*left_out, *dropped]]
    if names:                        # wrapped between names, never inside one ('cum. %')
        text = left_out_note([n.replace(" ", "\0") for n in names], width, wide_option)
        sys.stdout.write(fill_words(text, max(width, 20)).replace("\0", " ") + "\n")


def emit(rows: list[dict], columns: list[str], fmt: str, **table_options) -> None:
    """Write rows to stdout in ``fmt``."""
    if fmt == "json":
        sys.stdout.write(to_json([{c: r.get(c) for c in columns} for r in rows]) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(rows, columns))
    else:
        print_table(rows, table_options.pop("table_columns", columns), **table_options)


def emit_chunks(chunks, columns: list[str], fmt: str) -> None:
    """Write an iterable of row lists to stdout as one CSV table or one JSON array, chunk
    by chunk: memory holds one chunk, whatever the number of rows (``csv`` or ``json``)."""
    out = sys.stdout
    first = True
    if fmt == "json":
        out.write("[")
    for rows in chunks:
        if not rows:
            continue
        if fmt == "json":
            text = to_json([{c: r.get(c) for c in columns} for r in rows])
            out.write(("\n" if first else ",\n") + text[2:-2])     # the array's items
        else:
            text = to_csv(rows, columns)
            out.write(text if first else text.split("\n", 1)[1])    # one header line
        first = False
    if fmt == "json":
        out.write("]\n" if first else "\n]\n")
