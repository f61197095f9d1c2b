"""Render plain rows (lists of dicts) as a table, CSV or JSON.

Computation returns rows; only this module decides how they look.  JSON keeps
numbers as numbers and missing values as ``null``; CSV writes missing values
as empty fields; tables are drawn by rich.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import sys

FORMATS = ("table", "csv", "json")


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.utcoffset() == dt.timedelta(0) \
            else value.isoformat()
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


def console(file=None):
    """A rich Console that stays wide when output is piped (no wrapped tables)."""
    from rich.console import Console
    width = None if (file or sys.stdout).isatty() else int(os.environ.get("COLUMNS", 200))
    return Console(file=file, width=width, highlight=False, soft_wrap=False)


def _table(rows, columns, title, headers, caption, styles, plain: bool = False):
    """A rich Table; ``plain`` draws no box (columns two spaces apart) to save width."""
    from rich.table import Table
    extra = {"box": None, "pad_edge": False} if plain else {}
    table = Table(title=title, caption=caption, caption_justify="left",
                  header_style="bold underline" if plain else "bold", show_lines=False,
                  **extra)
    headers = headers or {}
    for c in columns:
        # A value is never split across lines ("116.|6", "PRSS-|1"): only prose (notes,
        # sources) wraps, at spaces; columns that do not fit are left out (print_table).
        prose = _is_prose(rows, c)
        table.add_column(headers.get(c, c), no_wrap=not prose,
                         overflow="fold" if prose else "ellipsis",
                         justify="right" if rows and isinstance(rows[0].get(c), (int, float))
                         and not isinstance(rows[0].get(c), bool) else "left")
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, float):
                v = "" if math.isnan(v) else f"{v:.{(styles or {}).get(c, '1')}f}"
            elif isinstance(v, dt.datetime):
                v = v.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(v, list):
                v = "; ".join(map(str, v))
            cells.append("" if v is None else str(v))
        table.add_row(*cells, style=r.get("_style"))
    return table


def _is_prose(rows, column) -> bool:
    """Free text (several words, long): may wrap at spaces."""
    values = [str(r.get(column)) for r in rows if isinstance(r.get(column), str)]
    return any(" " in v and len(v) > 30 for v in values)


def table_width(con, table) -> int:
    """Narrowest width (characters) at which rich draws ``table`` without splitting a value.

    A column that does not wrap needs its longest cell; prose needs its longest word;
    the default box adds one rule and two spaces of padding per column, and a last rule;
    a plain table (no box, no edge padding) puts two spaces between columns.
    """
    from rich.cells import cell_len
    widths = []
    for column in table.columns:
        cells = [str(column.header)] + [str(c) for c in column.cells]
        if column.no_wrap:
            widths.append(max(cell_len(c) for c in cells))
        else:
            widths.append(max(cell_len(w) for c in cells for w in (c.split() or [""])))
    n = len(widths)
    return sum(widths) + (2 * n - 2 if table.box is None else 3 * n + 1)


def fit_columns(rows, columns, drop_order, width, headers=None, styles=None,
                plain: bool = False) -> tuple[list[str], list[str]]:
    """Columns that fit ``width`` (dropping ``drop_order`` first to last) and those dropped."""
    cols, dropped = list(columns), []
    for name in [c for c in (drop_order or []) if c in columns]:
        if table_width(None, _table(rows, cols, None, headers, None, styles, plain)) <= width:
            break
        cols.remove(name)
        dropped.append(name)
    return cols, dropped


def fits(rows, columns, width, headers=None, styles=None, plain: bool = False) -> bool:
    return table_width(None, _table(rows, columns, None, headers, None, styles, plain)) <= width


def print_table(rows: list[dict], columns: list[str], title: str | None = None,
                headers: dict[str, str] | None = None, caption: str | None = None,
                styles: dict[str, str] | None = None, drop_order: list[str] | None = None,
                wide: bool = False, plain: bool = False) -> None:
    """A rich table on stdout that fits the terminal.

    Values are never split across lines.  When the table is wider than the
    terminal, the columns named in ``drop_order`` are left out, first to last,
    until it fits (the caption says which); ``wide=True`` keeps every column.
    Whatever cannot be dropped is printed at its full width.
    """
    con = console()
    width = con.width
    cols, dropped = (list(columns), []) if wide else \
        fit_columns(rows, columns, drop_order, width, headers, styles)
    if dropped:
        names = ", ".join((headers or {}).get(c, c) for c in dropped)
        note = f"Left out to fit {width} columns: {names} (--wide shows every column)."
        caption = f"{caption}\n{note}" if caption else note
    if not wide and not plain and not fits(rows, cols, width, headers, styles):
        plain = fits(rows, cols, width, headers, styles, plain=True)
    table = _table(rows, cols, title, headers, caption, styles, plain)
    needed = table_width(con, table)
    if wide or needed > width:
        from rich.console import Console
        con = Console(file=con.file, width=max(needed, width), highlight=False,
                      soft_wrap=False)
    con.print(table)


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


def round_event_times(rows, keys=("aos_utc", "tca_utc", "los_utc"),
                      duration_key="duration_s", start="aos_utc", end="los_utc") -> list:
    """Round event times to the nearest second; the duration is then exactly end - start.

    Printed times are whole seconds: truncating them would put every event up to a
    second early, and a duration rounded separately would disagree with the times shown.
    """
    for r in rows:
        for k in keys:
            t = r.get(k)
            if isinstance(t, dt.datetime):
                r[k] = (t + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if isinstance(r.get(start), dt.datetime) and isinstance(r.get(end), dt.datetime):
            r[duration_key] = int((r[end] - r[start]).total_seconds())
    return rows
