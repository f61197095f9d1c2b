"""The one atomic-write helper: a temporary file beside the target, then ``os.replace``.

Readers see the old file or the new one, never half of either.  Every file orbitview
writes goes through one of these:

* :func:`atomic_write_bytes` / :func:`atomic_write_text`: the whole content at once;
* :func:`atomic_write_stream`: a callback that writes to an open binary file object
  (csv writers, ``savefig(f)``, Pillow), for content made piece by piece;
* :func:`atomic_write`: a callback that fills a file by its path, only for writers
  that need a path (ffmpeg).  The callback must close what it opens: a file left
  open (``open(tmp, "wb").write(data)``) can lose a failed flush silently, so
  whole contents go through :func:`atomic_write_bytes` instead.

In every case the temporary file is flushed, ``fsync``-ed, given its mode and closed
before it is renamed onto the target, and any failure (full disk, file-size limit, an
I/O error when flushing, a callback that raises) removes the temporary file, leaves the
target byte for byte as it was and raises: nothing is reported written that was not.
An :class:`OSError` becomes :class:`OutputError` naming the user's path (never the
temporary one) with a fix; the callback's own exceptions pass through unchanged.

A replaced file keeps its permission bits (a 0600 file stays 0600); a new file gets
0666 less the umask, as ``open()`` would give it.

Temporary files are named ``.<target name>.<random>.orbitview-tmp``: they never
match a pattern a reader uses (``*.json``, ``*.tle``, ``*.png``).  While a writer
fills one it holds an exclusive ``flock`` on it, which the kernel drops when the
process dies, so a leftover of a killed writer is told from a live one (and from one
just closed for its rename, by its age): the next
write to the same path removes its unlocked leftovers older than
:data:`LEFTOVER_MIN_AGE_S` (:func:`remove_leftovers`); the element store, whose
writers hold its lock, removes every unlocked leftover in its directory
(``clean_leftovers=True``).

Only regular files are replaced: a symbolic link, FIFO, device or directory at
the target is refused (:func:`check_replaceable`).

Test hook: when the environment variable ``ORBITVIEW_TEST_KILL_AT`` equals the
name of a step passed to :func:`kill_point` (for example
``history:temp-half``), the process sends itself SIGKILL there.  The kill
tests use it to stop a real ``orbitview tle update`` at each write step.
"""

from __future__ import annotations

import errno
import glob
import os
import signal
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Callable

from orbitview.util.errors import OrbitviewError, UsageError

TEMP_SUFFIX = ".orbitview-tmp"
KILL_ENV = "ORBITVIEW_TEST_KILL_AT"
LEFTOVER_MIN_AGE_S = 60.0
"""A temporary file is taken for a killed writer's leftover only when no process holds
its lock and it has not changed for this long (a writer locks its file a moment after
creating it; on file systems where ``flock`` is unreliable the age alone protects a
live writer that keeps writing)."""

try:                                   # POSIX; elsewhere a live file cannot be deleted
    import fcntl
except ImportError:                    # pragma: no cover - Windows
    fcntl = None


class OutputError(OrbitviewError, OSError):
    """A file could not be written; nothing was changed."""


def kill_point(step: str) -> None:
    """Test hook: SIGKILL this process when ``ORBITVIEW_TEST_KILL_AT`` names ``step``."""
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """'a FIFO (named pipe)', 'a directory', ... for an ``st_mode`` (for messages)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


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
    raise UsageError(
        f"{label} is {file_kind(mode)}; orbitview only creates or replaces regular "
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
        errno.EIO: "the disk reported an input/output error: check it, or write elsewhere",
    }.get(error.errno, "check the path and the disk, then try again")


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written; a short write that cannot continue
    raises (EFBIG, ENOSPC) instead of being taken for success."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:                       # never returns 0 for a regular file; be safe
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[n:]


def _replace(path: Path, fill: Callable[[int, str], None], *, clean_leftovers: bool,
             step: str = "") -> None:
    """Make a locked temporary file beside ``path``, ``fill(fd, tmp_path)`` it, fsync,
    set its mode, and rename it onto ``path``; on any failure nothing changes."""
    check_replaceable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if clean_leftovers:
            remove_leftovers(path.parent)
        else:
            remove_leftovers(path.parent, path.name, min_age_s=LEFTOVER_MIN_AGE_S)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                   suffix=TEMP_SUFFIX)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}.\n"
                          f"Fix: {_fix_for(e)}.") from None
    replaced = closed = False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:              # a file system without locks: the age protects it
                pass
        fill(fd, tmp)
        os.fsync(fd)
        if step:
            kill_point(f"{step}:temp-synced")
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)      # keep the old file's mode
        except FileNotFoundError:
            mode = _new_file_mode()
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:                                 # pragma: no cover - Windows
            os.chmod(tmp, mode)
        closed = True
        os.close(fd)                          # closed (an error here is a failed write too)
        check_replaceable(path)               # still nothing but a regular file there
        os.replace(tmp, path)
        replaced = True
        _sync_directory(path.parent)
    except OSError as e:
        if isinstance(e, OrbitviewError):
            raise
        raise OutputError(f"cannot write {path}: {e.strerror or e}; the previous file (if "
                          f"any) is unchanged.\nFix: {_fix_for(e)}.") from None
    finally:
        if not closed:
            try:
                os.close(fd)
            except OSError:
                pass
        if not replaced:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write_bytes(path: Path | str, data: bytes, *, step: str = "",
                       clean_leftovers: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; ``step`` names the :func:`kill_point` steps.

    ``clean_leftovers`` removes every unlocked temporary file in the directory; pass it
    only while holding the lock that serialises writers there (the element store).
    """
    data = bytes(data)

    def fill(fd: int, tmp: str) -> None:
        half = len(data) // 2
        _write_all(fd, data[:half])
        if step:
            kill_point(f"{step}:temp-half")
        _write_all(fd, data[half:])
    _replace(Path(path), fill, clean_leftovers=clean_leftovers, step=step)
    if step:
        kill_point(f"{step}:replaced")


def atomic_write_text(path: Path | str, text: str, *, step: str = "",
                      clean_leftovers: bool = False) -> None:
    """Write ``text`` (UTF-8) atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"), step=step, clean_leftovers=clean_leftovers)


def atomic_write_stream(path: Path | str, write: Callable[[BinaryIO], None], *,
                        clean_leftovers: bool = False) -> None:
    """Call ``write(f)`` with a binary file object open on a temporary file, then flush,
    fsync and close it and move it onto ``path``.  For text, wrap ``f`` in
    ``io.TextIOWrapper(f, encoding="utf-8", newline="")`` (and flush it before returning).
    ``f`` is closed by this function; ``write`` must not keep it."""
    def fill(fd: int, tmp: str) -> None:
        f = os.fdopen(os.dup(fd), "wb")
        try:
            write(f)
            f.flush()                    # a failing flush raises here, not at garbage time
        finally:
            try:
                f.close()
            except OSError:              # flushed above: only an error of the dup'ed fd
                pass
    _replace(Path(path), fill, clean_leftovers=clean_leftovers)


def atomic_write(path: Path | str, write: Callable[[str], object], *,
                 clean_leftovers: bool = False) -> None:
    """Call ``write(tmp_path)`` to fill a temporary file by its path, then move it onto
    ``path``.  Only for writers that need a path (a subprocess such as ffmpeg): ``write``
    must close every file it opens before it returns, or a failed final flush can go
    unnoticed.  Whole contents go through :func:`atomic_write_bytes`, file objects
    through :func:`atomic_write_stream`.

    A safety net for callers written as ``lambda tmp: open(tmp, "wb").write(data)``:
    when ``write`` returns a count (what ``file.write`` returns) and the file holds
    fewer bytes than that, the write fell short (a full disk or the file-size limit
    whose error the unclosed file dropped) and nothing is replaced.
    """
    def fill(fd: int, tmp: str) -> None:
        claimed = write(tmp)
        if isinstance(claimed, int) and not isinstance(claimed, bool):
            size = os.fstat(fd).st_size
            if size < claimed:
                raise OSError(errno.EFBIG if _over_size_limit(size) else errno.EIO,
                              f"only {size:,} of {claimed:,} bytes reached the file")
    _replace(Path(path), fill, clean_leftovers=clean_leftovers)


def _over_size_limit(size: int) -> bool:
    """Whether ``size`` is at the process's file-size limit (ulimit -f)."""
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (ImportError, OSError, ValueError):       # pragma: no cover - Windows
        return False
    return soft != resource.RLIM_INFINITY and size >= soft


def _locked_by_a_live_writer(p: Path) -> bool:
    if fcntl is None:
        return False
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return True                      # cannot tell: leave it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True                      # held: its writer is alive
    finally:
        os.close(fd)                     # also drops the lock taken just now
    return False


def remove_leftovers(directory: Path | str, name: str | None = None,
                     min_age_s: float = 0.0) -> list[Path]:
    """Delete temporary files killed writers left in ``directory`` (only those of the
    file ``name`` when given) that no live writer holds and that have not changed for
    ``min_age_s``; return their paths."""
    removed = []
    pattern = (f".{glob.escape(name)}.*{TEMP_SUFFIX}" if name is not None
               else f".*{TEMP_SUFFIX}")
    now = time.time()
    for p in Path(directory).glob(pattern):
        try:
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < min_age_s:
                continue
            if _locked_by_a_live_writer(p):
                continue
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
