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


def print_table(rows: list[dict], columns: list[str], title: str | None = None,
                headers: dict[str, str] | None = None, caption: str | None = None,
                styles: dict[str, str] | None = None) -> None:
    from rich.table import Table
    table = Table(title=title, caption=caption, caption_justify="left",
                  header_style="bold", show_lines=False)
    headers = headers or {}
    for c in columns:
        table.add_column(headers.get(c, c), overflow="fold",
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
    console().print(table)


def emit(rows: list[dict], columns: list[str], fmt: str, **table_options) -> None:
    """Write rows to stdout in ``fmt``."""
    if fmt == "json":
        sys.stdout.write(to_json([{c: r.get(c) for c in columns} for r in rows]) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(rows, columns))
    else:
        print_table(rows, table_options.pop("table_columns", columns), **table_options)
