"""The user's config file: home site, time zone, minimum elevation, automatic updates.

A TOML file at ``platformdirs.user_config_dir("orbitview")/config.toml``
(``~/.config/orbitview/config.toml`` on Linux), or wherever ``ORBITVIEW_CONFIG``
points.  It is read with the standard library's ``tomllib`` once it is known to be a
regular file of at most :data:`MAX_CONFIG_BYTES` (a FIFO, a device or a directory is
a problem of the file, never a hang).  ``orbitview config set`` changes it under a
file lock (``.config.toml.lock`` beside it, the ``filelock`` package, as the element
store is locked), so concurrent ``config set`` runs never lose each other's keys, and
edits only the line of its key: comments, other keys (misspelt ones too), other
tables and the file's permission bits are kept; when that cannot be done exactly,
nothing is written.  Every key is optional:

``site``          home site for commands that take ``--site`` (a built-in name or LAT,LON[,H])
``tz``            IANA time zone for local times (default: the site's zone, else UTC)
``min_elevation`` default minimum elevation in degrees (default 10)
``auto_update``   ``never`` | ``notify`` (default: say when sets are stale) |
                  ``daily`` | ``weekly`` (fetch sets older than a day / a week first,
                  with a short deadline, falling back to stored sets offline)

A malformed file is never a crash: :func:`read_config` returns what it can read
and the problems (file:line and the fix, also listed by ``orbitview data check``),
and a command that needs an unreadable value refuses with that message rather than
quietly using another site, zone or elevation.  ``orbitview config path|show|set``
keep working on a broken file, and ``config set`` repairs it line by line.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from orbitview.util.errors import DataError, Problem, UsageError

ENV = "ORBITVIEW_CONFIG"
MAX_CONFIG_BYTES = 1 << 20
"""Largest config file read (a real one is a few hundred bytes)."""
LOCK_TIMEOUT_S = 10.0
"""How long 'config set' waits for another one to finish before giving up."""
AUTO_UPDATE = ("never", "notify", "daily", "weekly")
KEYS = ("site", "tz", "min_elevation", "auto_update")
AUTO_UPDATE_AGE_DAYS = {"daily": 1.0, "weekly": 7.0}
"""With auto_update daily/weekly, sets older than this many days are refreshed first."""


def config_path() -> Path:
    """Where the config file is (it need not exist)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir
    return Path(user_config_dir("orbitview", appauthor=False)) / "config.toml"


@dataclass(frozen=True)
class Config:
    site: str | None = None
    tz: str | None = None
    min_elevation: float | None = None
    auto_update: str = "notify"
    path: Path | None = None
    problems: tuple = ()
    """:class:`~orbitview.util.errors.Problem` s found in the file (read with ``strict=False``)."""
    unreadable: frozenset = frozenset()
    """Keys whose value the file may set but that cannot be read: every key when the
    file is not TOML, else the keys with a bad value (their field holds the default)."""
    written: frozenset = frozenset()
    """Keys the file sets (read or not): where ``config show`` says a value comes from
    without reading the file a second time."""

    def as_dict(self) -> dict:
        return {"site": self.site, "tz": self.tz, "min_elevation": self.min_elevation,
                "auto_update": self.auto_update}

    def value(self, key: str):
        """The value of ``key``; :class:`ConfigError` when the file has it but it cannot
        be read (a command never quietly uses another site, zone or elevation)."""
        if key in self.unreadable:
            raise ConfigError([p for p in self.problems if key in p.affects], key)
        return getattr(self, key)


class ConfigError(DataError):
    """The config file cannot give a value a command needs: its problems, file:line.

    ``options`` are the command-line options that would stand in for the file's values
    in this run; the fix names them.
    """

    def __init__(self, problems, key: str | None = None, options=()):
        self.key = key
        super().__init__(problems)
        if key is not None:           # say what the command needed, and how to go without
            self.args = ("\n\n".join(_needing(p, key, options).message()
                                      for p in self.problems),)

    def __str__(self) -> str:
        return self.args[0]


def _needing(problem: Problem, key: str, options) -> Problem:
    what = problem.what if problem.affects == {key} else \
        f"{problem.what}, so the {key} this command needs cannot be read"
    if problem.affects == {key}:
        options = [OPTION_OF[key]] if key in OPTION_OF else []
    fix = problem.fix + (f"; or give {', '.join(options)} for this run" if options else "")
    return Problem(problem.path, problem.line, what, problem.evidence, fix,
                   problem.affects, problem.scope)


FIX = "correct the value with 'orbitview config set KEY VALUE', or edit or delete the file"
SCOPE = "your config file"
"""How ``data check`` and the messages name the file."""
OPTION_OF = {"site": "--site", "tz": "--tz", "min_elevation": "--min-elevation"}


def check_value(key: str, value, where: str = "") -> object:
    """A config value checked (and converted); UsageError naming what is wrong."""
    label = f"{where}{key}"
    if key not in KEYS:
        raise UsageError(f"unknown config key {key!r}.\nFix: use one of {', '.join(KEYS)}.")
    if key == "site":
        from orbitview.data.sites import parse_site
        parse_site(str(value))                       # raises a clear UsageError
        return str(value)
    if key == "tz":
        from orbitview.data.localtime import get_zone
        get_zone(str(value))
        return str(value)
    if key == "min_elevation":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{label} {value!r} is not a number.\n"
                             "Fix: give degrees from -5 to 90, e.g. 10.") from None
        if not math.isfinite(number) or not -5.0 <= number <= 90.0:
            raise UsageError(f"{label} {value!r} is outside -5 to 90 degrees.\n"
                             "Fix: give degrees from -5 to 90, e.g. 10.")
        return number
    text = str(value).strip().lower()
    if text not in AUTO_UPDATE:
        raise UsageError(f"{label} {value!r} is not one of {', '.join(AUTO_UPDATE)}.\n"
                         "Fix: e.g. 'orbitview config set auto_update weekly'.")
    return text


def _whole_file_fix(path: Path, line: int | None, text: str = "") -> str:
    import re
    quoted = re.fullmatch(r"\s*([A-Za-z_][\w-]*)\s*=\s*([A-Za-z][^\"'#]*?)\s*", text or "")
    hint = (f" (text needs quotes: {quoted.group(1)} = \"{quoted.group(2)}\")" if quoted
            else " (key = value; text needs quotes)")
    where = f"line {line} of {path}{hint}" if line else str(path)
    return f"correct {where}, or remove the file; 'orbitview config show' shows what it holds"


def _toml_position(error, text: str) -> tuple[int | None, int | None]:
    """(line, column) of a TOMLDecodeError (3.11 has them only in the message); an error
    'at end of document' is placed on the last line that is not blank."""
    import re
    line, col = getattr(error, "lineno", None), getattr(error, "colno", None)
    if line is None:
        m = re.search(r"line (\d+), column (\d+)", str(error))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
        elif "end of document" in str(error):
            lines = text.splitlines()
            line = max((i for i, s in enumerate(lines, 1) if s.strip()), default=None)
    return line, col


def read_config(path: Path | None = None) -> Config:
    """The config file as far as it can be read: bad values and a file that is not TOML
    are :attr:`Config.problems` (each naming file:line and the fix), and the keys they
    leave unknown are :attr:`Config.unreadable`.  Never raises for a damaged file."""
    path = path or config_path()
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        return Config(path=path)
    except DataError as e:           # not a regular file, too large, cannot be read
        return _broken(path, _scoped(e.problems[0]))
    import tomllib  # only when there is a file to read
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        return _broken(path, Problem(path, line, f"{SCOPE} is not UTF-8 text",
                                     repr(data.splitlines()[line - 1])[2:-1],
                                     _whole_file_fix(path, line), affects=KEYS, scope=SCOPE))
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line, col = _toml_position(e, text)
        lines = text.splitlines()
        evidence = ""
        if line and line <= len(lines):
            evidence = lines[line - 1][:200]
            if col and col <= len(evidence) + 1:
                evidence += "\n" + " " * (col - 1) + "^"
        reason = str(e).split(" (at ")[0]
        if "end of document" in str(e):
            reason += " at the end of the file"
        where = f" at column {col}" if col else ""
        return _broken(path, Problem(path, line, f"{SCOPE} is not valid TOML ({reason}{where})",
                                     evidence, _whole_file_fix(path, line, lines[line - 1]
                                                               if evidence else ""),
                                     affects=KEYS,
                                     scope=SCOPE))
    problems, checked = [], {}
    for key, value in values.items():
        line = _line_of(text, key)
        try:
            checked[key] = check_value(key, value)
        except UsageError as e:
            what, _, fix = str(e).partition("\nFix: ")
            if key not in KEYS:
                # A misspelt key (min_elevaton) leaves the value it meant in doubt.
                import difflib
                meant = [k for k in difflib.get_close_matches(str(key), KEYS, n=2, cutoff=0.6)
                         if k not in values]
                problems.append(Problem(
                    path, line, f"{SCOPE} has an unknown key {key!r}"
                    + (f" (did you mean {' or '.join(meant)}?)" if meant else " (ignored)"),
                    f"{key} = {value!r}",
                    f"rename it to {' or '.join(meant) or 'one of ' + ', '.join(KEYS)}, or "
                    "remove " + (f"line {line} of {path}" if line else f"it from {path}"),
                    affects=meant, scope=SCOPE))
                continue
            what = what.rstrip(".")
            what = f"{SCOPE}'s {what}" if what.startswith(key) else f"{SCOPE}'s {key}: {what}"
            fix = f" ({fix.rstrip('.')})" if fix else ""
            problems.append(Problem(
                path, line, what, f"{key} = {value!r}",
                f"'orbitview config set {key} VALUE'{fix}, or 'orbitview config unset {key}' "
                "for the default", affects=(key,), scope=SCOPE))
    unreadable = frozenset(k for p in problems for k in p.affects)
    return Config(site=checked.get("site"), tz=checked.get("tz"),
                  min_elevation=checked.get("min_elevation"),
                  auto_update=checked.get("auto_update", "notify"), path=path,
                  problems=tuple(problems), unreadable=unreadable,
                  written=frozenset(k for k in values if k in KEYS))


def _broken(path: Path, problem: Problem) -> Config:
    return Config(path=path, problems=(problem,), unreadable=frozenset(KEYS))


def _read_bytes(path: Path) -> bytes:
    """The file's bytes once it is known to be a regular file of a sane size
    (:func:`orbitview.util.files.read_input`); FileNotFoundError when there is none."""
    from orbitview.util.files import read_input
    return read_input(path, what=SCOPE, max_bytes=MAX_CONFIG_BYTES,
                      fix=f"point {ENV} at a regular file (or unset it), or move {path} "
                          "aside; 'orbitview config set' writes a new one")


def _scoped(problem: Problem) -> Problem:
    """A problem of the whole file, as the config's problems are kept."""
    return Problem(problem.path, problem.line, problem.what, problem.evidence, problem.fix,
                   affects=KEYS, scope=SCOPE)


def load_config(path: Path | None = None) -> Config:
    """Read the config file (defaults when it does not exist); :class:`ConfigError` with
    every problem when any value cannot be read."""
    config = read_config(path)
    if config.problems:
        raise ConfigError(list(config.problems))
    return config


def _key_pattern(key: str):
    import re
    return re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")


def _line_of(text: str, key: str) -> int | None:
    pattern = _key_pattern(key)
    for i, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return i
    return None


def set_value(key: str, value: str | None, path: Path | None = None) -> Config:
    """Set (or, with ``value=None``, remove) one key; returns the file as read back,
    problems left in other keys included.

    The read-modify-write holds the config's file lock, so two ``config set`` at once
    each keep the other's key.  Only the key's own line changes (or one line is added
    in the top-level section, before any ``[table]``): comments, unknown or misspelt
    keys, other tables and the file's mode are kept.  The result is read back before
    it is written: unless every other value is exactly as it was, nothing is written
    (:class:`ConfigError`).  A file that is not TOML is repaired line by line the same
    way: the key's lines are replaced and every other line is kept, so fixing the
    broken line keeps the rest; when the file would still not be TOML, nothing is
    written.  A config path that is not a regular file is refused, never replaced.
    """
    import tomli_w

    from orbitview.util.atomic import atomic_write_text
    path = path or config_path()
    key = key.strip().lower().replace("-", "_")
    new = check_value(key, value) if value is not None else None
    if value is None and key not in KEYS:
        check_value(key, "")
    line = None if new is None else tomli_w.dumps({key: new}).strip()
    with _config_lock(path):
        try:
            data = _read_bytes(path)
        except FileNotFoundError:
            data = None
        except DataError as e:
            raise ConfigError([_scoped(e.problems[0])], key) from None
        if data is None:
            if line is None:
                return read_config(path)
            text = ("# orbitview configuration: 'orbitview config show' explains each key\n"
                    f"{line}\n")
        else:
            text = _edited(path, data, key, new, line)
        atomic_write_text(path, text)
    return read_config(path)


@contextlib.contextmanager
def _config_lock(path: Path):
    """Hold the lock of the config file at ``path`` (one 'config set' at a time)."""
    from filelock import FileLock, Timeout

    from orbitview.util.atomic import OutputError
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path.parent / f".{path.name}.lock", timeout=LOCK_TIMEOUT_S)
        lock.acquire()
    except Timeout:
        raise OutputError(f"another orbitview has been changing {path} for more than "
                          f"{LOCK_TIMEOUT_S:g} s; nothing was changed.\n"
                          "Fix: let it finish, then run the command again.") from None
    except OSError as e:
        raise OutputError(f"cannot lock {path} to change it: {e.strerror or e}; nothing was "
                          f"changed.\nFix: make {path.parent} writable, or point {ENV} at a "
                          "file in a directory you can write to.") from None
    try:
        yield
    finally:
        lock.release()


def _edited(path: Path, data: bytes, key: str, new, line: str | None) -> str:
    """The config text with ``key`` set to ``new`` (``line`` is its TOML line) or removed,
    everything else kept; ConfigError when that cannot be done exactly."""
    import tomllib
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError([read_config(path).problems[0]], key) from None
    try:
        before = tomllib.loads(original)
    except tomllib.TOMLDecodeError:
        return _repaired(path, original, key, new, line)
    text = _set_line(original, key, line)
    expected = dict(before)
    if new is None:
        expected.pop(key, None)
    else:
        expected[key] = new
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        after = None
    if after is None or _canonical(after) != _canonical(expected):
        line_no = _line_of(original, key)
        raise ConfigError([Problem(
            path, line_no, f"{SCOPE} sets {key} in a way 'config set' cannot change on its "
            "own line (a multi-line value, or a dotted or inline table); nothing was written",
            original.splitlines()[line_no - 1] if line_no else "",
            f"edit {path} by hand: {line or f'remove {key}'}", scope=SCOPE)])
    return text


def _repaired(path: Path, original: str, key: str, new, line: str | None) -> str:
    """A file that is not TOML with ``key``'s lines replaced, if that makes it TOML."""
    import tomllib
    problem = read_config(path).problems[0]
    if "TOML" not in problem.what:            # not the TOML: nothing to repair here
        raise ConfigError([problem], key)
    text, origin = _replace_key(original, key, line)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line_no, _ = _toml_position(e, text)
        line_no = origin[line_no - 1] if line_no else None      # a line of the file as it is
        bad = original.splitlines()[line_no - 1] if line_no else ""
        raise ConfigError([Problem(
            path, line_no, f"{SCOPE} would still not be valid TOML after "
            f"{'setting' if new is not None else 'removing'} {key}; nothing was written",
            bad, _whole_file_fix(path, line_no, bad), scope=SCOPE)]) from None
    return text


_TABLE_HEADER = re.compile(r"\s*\[")
_KEY_LINE = re.compile(r"\s*[A-Za-z0-9_\"'-]")


def _set_line(text: str, key: str, line: str | None) -> str:
    """``text`` with the top-level line of ``key`` replaced by ``line`` (removed when
    None), or ``line`` added at the end of the top-level keys, before any table."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    top = next((i for i, s in enumerate(lines) if _TABLE_HEADER.match(s)), len(lines))
    pattern = _key_pattern(key)
    found = [i for i in range(top) if pattern.match(lines[i])]
    if line is None:
        return "".join(s for i, s in enumerate(lines) if i not in found)
    if found:
        ending = lines[found[0]][len(lines[found[0]].rstrip("\r\n")):] or "\n"
        lines[found[0]] = line + ending
        return "".join(s for i, s in enumerate(lines) if i not in found[1:])
    keys = [i for i in range(top) if _KEY_LINE.match(lines[i])
            and not lines[i].lstrip().startswith("#")]
    if keys:
        at = keys[-1] + 1
    else:                    # after the comments that open the file
        at = next((i for i in range(top) if not lines[i].lstrip().startswith("#")), top)
    lines.insert(at, line + "\n")
    return "".join(lines)


def _canonical(value):
    """A comparable form of parsed TOML (NaN equal to NaN, tables in key order)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, float) and value != value:
        return ("nan",)
    return (type(value).__name__, value)


def _replace_key(text: str, key: str, line: str | None) -> tuple[str, list]:
    """``text`` with the lines that set ``key`` replaced by ``line`` (or removed), and the
    original line number of each line of the result (None for the new one)."""
    pattern = _key_pattern(key)
    numbered = [(i, s) for i, s in enumerate(text.splitlines(), 1) if not pattern.match(s)]
    if line is not None:
        found = [i for i, s in enumerate(text.splitlines(), 1) if pattern.match(s)]
        # Where the key was, else first: after a [table] header it would not be top-level.
        at = sum(1 for i, _ in numbered if found and i < found[0])
        numbered.insert(at, (None, line))
    return "\n".join(s for _, s in numbered) + "\n", [i for i, _ in numbered]
