"""Reading orbitview's CSV data files so that one bad row never hides the others.

:func:`read_csv` returns every good row with its line number and a
:class:`~orbitview.util.errors.Problem` for every bad one: bytes that are not
UTF-8, a field longer than :data:`MAX_FIELD_CHARS`, a row whose field count
differs from the header's, text the csv module cannot parse.  A missing file,
a path that is not a regular file (a FIFO, a device), a file larger than
:data:`MAX_FILE_BYTES` or missing columns are problems too, never exceptions
(:func:`orbitview.util.files.read_input` checks the file before reading it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from orbitview.util.errors import DataError, Problem

MAX_FIELD_CHARS = 4096
"""Longest field accepted (the longest in the bundled data is under 400 characters)."""
MAX_FILE_BYTES = 16 * 1024 * 1024


@dataclass
class CsvRows:
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    """(line number, {column: stripped value}, the raw row joined by commas)."""
    problems: list[Problem] = field(default_factory=list)


_UNDECODABLE = re.compile("[\udc80-\udcff]")
"""Bytes that were not UTF-8, as ``surrogateescape`` decoding keeps them."""


def _has_undecodable(text: str) -> bool:
    return _UNDECODABLE.search(text) is not None


def read_csv(path: Path | str, required: tuple[str, ...], fix: str,
             missing_fix: str | None = None) -> CsvRows:
    """Read ``path``; ``required`` columns must be in the header; ``fix`` ends row problems."""
    from orbitview.util.files import read_input
    path = Path(path)
    out = CsvRows()
    try:
        data = read_input(path, what="this", max_bytes=MAX_FILE_BYTES,
                          fix="give the path of an ordinary CSV file (save what a pipe or "
                          "a device gives to a file first)")
    except FileNotFoundError:
        out.problems.append(Problem(path, None, "file not found", "",
                                    missing_fix or f"restore {path.name}"))
        return out
    except DataError as e:               # not a regular file, too large, unreadable
        out.problems += e.problems
        return out
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    reader = csv.reader(text.splitlines(keepends=True))
    header = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            out.problems.append(Problem(path, reader.line_num, f"not valid CSV ({e})", "", fix))
            continue
        line = reader.line_num
        raw = ",".join(row)
        shown = raw if len(raw) <= 300 else raw[:297] + "..."
        if _has_undecodable(raw):
            bad = next(c for c in raw if "\udc80" <= c <= "\udcff")
            out.problems.append(Problem(
                path, line, f"bytes that are not UTF-8 text (first: {ord(bad) - 0xdc00:#04x})",
                shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
                "save the file as UTF-8 (and check this row's text)"))
            if header is None:
                return out
            continue
        if header is None:
            header = [h.strip() for h in row]
            out.header = header
            missing = [c for c in required if c not in header]
            if missing:
                out.problems.append(Problem(path, line,
                                            f"missing column(s): {', '.join(missing)}",
                                            shown, fix))
                return out
            continue
        if not any(cell.strip() for cell in row):
            continue
        long = [len(c) for c in row if len(c) > MAX_FIELD_CHARS]
        if long:
            out.problems.append(Problem(
                path, line, f"a field of {max(long)} characters; fields hold at most "
                f"{MAX_FIELD_CHARS}", shown, fix))
            continue
        if len(row) != len(header):
            out.problems.append(Problem(
                path, line, f"row has {len(row)} fields but the header has {len(header)}",
                shown, "quote fields that contain commas (\"Jiuquan, China\") and give every "
                "column a value, even if empty"))
            continue
        out.rows.append((line, {h: cell.strip() for h, cell in zip(header, row)}, raw))
    if header is None:
        out.problems.append(Problem(path, 1, "the file is empty", "", fix))
    return out
