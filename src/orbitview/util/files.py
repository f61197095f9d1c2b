"""Opening the files orbitview is asked to read: regular files of a sane size only.

Every reader of a file a user names (``--elements``, ``--sensors``, ``--mask``,
``--coverage``, a GeoJSON ``--target``, the config file) and of orbitview's own data
opens it through :func:`open_input` or :func:`read_input`.  Before a byte is read:

* a FIFO, a device (``/dev/zero``, ``/dev/null``), a socket or a directory is refused
  by its type (a pipe would block forever, a device never ends);
* a file larger than the reader's limit is refused by its size (a 10 GB file would be
  read into memory before any check).

The FIFO is never opened for reading without ``O_NONBLOCK`` (which returns at once),
and the type is checked again on the open file, so a path swapped for a pipe between
the check and the open cannot block either.  A link to a regular file is followed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from orbitview.util.errors import DataError, Problem, UsageError

MIB = 1 << 20


def _kind(mode: int) -> str:
    from orbitview.util.atomic import file_kind
    return file_kind(mode)


def _size_text(n: int) -> str:
    return f"{n / MIB:,.1f} MiB" if n >= MIB else f"{n:,} bytes"


def _refuse_kind(path: Path, mode: int, what: str, fix: str, option: str):
    kind = _kind(mode)
    reason = (f"is {kind}, not a regular file: orbitview reads only regular files (a pipe "
              "or a device may never end), so it was not read")
    if option:
        raise UsageError(f"{option} {str(path)!r} {reason}.\nFix: {fix}.")
    raise DataError([Problem(path, None, f"{what} {reason}", "", fix)])


def _too_large(path: Path, size: int | None, max_bytes: int, what: str, fix: str):
    size_text = f" ({_size_text(size)})" if size is not None else ""
    raise DataError([Problem(path, None, f"{what} is larger than {_size_text(max_bytes)}"
                             f"{size_text}, more than such a file ever holds, so it was not "
                             "read", "", fix)])


def open_input(path: Path | str, *, what: str, max_bytes: int, fix: str,
               option: str = "") -> BinaryIO:
    """``path`` opened for binary reading, once it is known to be a regular file of at
    most ``max_bytes``.

    ``what`` names the file for people ('element file', 'your config file'); ``fix``
    ends the message.  A path of the wrong type is a :class:`UsageError` naming
    ``option`` when the path was given by one (exit status 2), else a
    :class:`DataError`; a file too large or unreadable is a :class:`DataError`.  A
    missing file raises :class:`FileNotFoundError` unchanged (callers say what a
    missing file means to them).
    """
    path = Path(path)
    try:
        st = os.stat(path)                       # follows links: /dev/zero behind one
    except NotADirectoryError:
        raise FileNotFoundError(2, "No such file or directory", str(path)) from None
    except FileNotFoundError:
        raise
    except OSError as e:
        raise DataError([Problem(path, None, f"{what} cannot be read ({e.strerror or e})",
                                 "", fix)]) from None
    if not stat.S_ISREG(st.st_mode):
        _refuse_kind(path, st.st_mode, what, fix, option)
    if st.st_size > max_bytes:
        _too_large(path, st.st_size, max_bytes, what, fix)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as e:
        raise DataError([Problem(path, None, f"{what} cannot be read ({e.strerror or e})",
                                 "", fix)]) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):          # swapped after the first look
            _refuse_kind(path, st.st_mode, what, fix, option)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: Path | str, *, what: str, max_bytes: int, fix: str,
               option: str = "") -> bytes:
    """The bytes of ``path``, checked as :func:`open_input` checks it (and refused if it
    grew past ``max_bytes`` while being read)."""
    with open_input(path, what=what, max_bytes=max_bytes, fix=fix, option=option) as f:
        try:
            data = f.read(max_bytes + 1)
        except OSError as e:
            raise DataError([Problem(path, None, f"{what} cannot be read "
                                     f"({e.strerror or e})", "", fix)]) from None
    if len(data) > max_bytes:
        _too_large(Path(path), None, max_bytes, what, fix)
    return data
