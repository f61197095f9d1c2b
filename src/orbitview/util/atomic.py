"""The one atomic-write helper: a temporary file beside the target, then ``os.replace``.

Readers see the old file or the new one, never half of either.  Temporary files
are named ``.<target name>.<random>.orbitview-tmp``: they never match a pattern
a reader uses (``*.json``, ``*.tle``, ``*.png``), and a leftover from a killed
process is removed by the next write under the store's lock
(:func:`remove_leftovers`).  A failure leaves the old file untouched, removes the
temporary file, and is reported naming the user's path (never the temporary
one) with a fix.

Only regular files are replaced: a symbolic link, FIFO, device or directory at
the target is refused (:func:`check_replaceable`).

Test hook: when the environment variable ``ORBITVIEW_TEST_KILL_AT`` equals the
name of a step passed to :func:`kill_point` (for example
``history:temp-half``), the process sends itself SIGKILL there.  The kill
tests use it to stop a real ``orbitview tle update`` at each write step.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import tempfile
from pathlib import Path
from typing import Callable

from orbitview.util.errors import OrbitviewError, UsageError

TEMP_SUFFIX = ".orbitview-tmp"
KILL_ENV = "ORBITVIEW_TEST_KILL_AT"


class OutputError(OrbitviewError, OSError):
    """A file could not be written; nothing was changed."""


def kill_point(step: str) -> None:
    """Test hook: SIGKILL this process when ``ORBITVIEW_TEST_KILL_AT`` names ``step``."""
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_replaceable(path: Path | str, option: str = "output") -> None:
    """Raise UsageError unless ``path`` is absent or a regular file (not a link to one)."""
    path = Path(path)
    label = f"{option} {str(path)!r}".strip()
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as e:
        raise UsageError(f"{label}: cannot look at it ({e.strerror}).\n"
                         "Fix: choose another path.") from None
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise UsageError(
        f"{label} is {kind}; orbitview only creates or replaces regular "
        "files, so it was left alone.\n"
        "Fix: give the path of a new or ordinary file (for a link, the path it points to).")


def check_output_path(path: Path, suffixes: tuple[str, ...] = (), option: str = "-o") -> Path:
    """Raise UsageError unless ``path`` can be written the way orbitview writes files."""
    path = Path(path)
    label = f"{option} {str(path)!r}".strip()
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"{label}: cannot tell the format from the file name.\n"
                         f"Fix: end the file name with {', '.join(suffixes)}.")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"{label}: directory {str(parent)!r} does not exist.\n"
                         "Fix: create it first or choose another path.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{label}: directory {str(parent)!r} is not writable.\n"
                         "Fix: choose a directory you can write to.")
    check_replaceable(path, option)
    return path



def _fix_for(error: OSError) -> str:
    return {
        errno.ENOSPC: "free space on that disk, or write to another one",
        getattr(errno, "EDQUOT", -1): "free space within your quota, or write elsewhere",
        errno.EROFS: "that file system is read-only: choose a writable directory",
        errno.EACCES: "you may not write there: choose a directory you own",
        errno.EPERM: "you may not write there: choose a directory you own",
        errno.ENOENT: "the directory vanished: create it again or choose another path",
        errno.EFBIG: "the file would exceed the file-size limit (ulimit -f): raise it or "
                     "write less",
    }.get(error.errno, "check the path and the disk, then try again")


def atomic_write(path: Path | str, write: Callable[[str], None], *,
                 clean_leftovers: bool = False) -> None:
    """Call ``write(tmp_path)`` to fill a temporary file, then move it onto ``path``.

    ``clean_leftovers`` removes temporary files that killed writers left beside
    ``path``; pass it only while holding the lock that serialises writers.
    """
    path = Path(path)
    check_replaceable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if clean_leftovers:
            remove_leftovers(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                   suffix=TEMP_SUFFIX)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}.\n"
                          f"Fix: {_fix_for(e)}.") from None
    os.close(fd)
    try:
        write(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)          # mkstemp makes 0600; honour the user's umask
        check_replaceable(path)               # still nothing but a regular file there
        os.replace(tmp, path)
        _sync_directory(path.parent)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}; the previous file (if "
                          f"any) is unchanged.\nFix: {_fix_for(e)}.") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path: Path | str, text: str, *, step: str = "",
                      clean_leftovers: bool = False) -> None:
    """Write ``text`` (UTF-8) atomically; ``step`` names the :func:`kill_point` steps."""
    data = text.encode("utf-8")

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            half = len(data) // 2
            f.write(data[:half])
            f.flush()
            if step:
                kill_point(f"{step}:temp-half")
            f.write(data[half:])
            f.flush()
            os.fsync(f.fileno())
        if step:
            kill_point(f"{step}:temp-synced")
    atomic_write(path, write, clean_leftovers=clean_leftovers)
    if step:
        kill_point(f"{step}:replaced")


def remove_leftovers(directory: Path | str) -> list[Path]:
    """Delete temporary files killed writers left in ``directory``; return their paths."""
    removed = []
    for p in Path(directory).glob(f".*{TEMP_SUFFIX}"):
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
