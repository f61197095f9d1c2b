"""The user's config file: home site, time zone, minimum elevation, automatic updates.

A TOML file at ``platformdirs.user_config_dir("orbitview")/config.toml``
(``~/.config/orbitview/config.toml`` on Linux), or wherever ``ORBITVIEW_CONFIG``
points.  It is read with the standard library's ``tomllib``; ``orbitview config
set`` writes it atomically.  Every key is optional:

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

import math
import os
from dataclasses import dataclass
from pathlib import Path

from orbitview.util.errors import DataError, Problem, UsageError

ENV = "ORBITVIEW_CONFIG"
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
        data = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as e:
        return _broken(path, Problem(path, None, f"{SCOPE} cannot be read ({e.strerror})", "",
                                     "check its permissions, or remove it",
                                     affects=KEYS, scope=SCOPE))
    import tomllib                   # only when there is a file to read
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
                  problems=tuple(problems), unreadable=unreadable)


def _broken(path: Path, problem: Problem) -> Config:
    return Config(path=path, problems=(problem,), unreadable=frozenset(KEYS))


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
    """Set (or, with ``value=None``, remove) one key; the file is written atomically.

    A file that is not TOML is repaired line by line: the key's own lines are replaced
    and every other line is kept, so fixing the broken line keeps the rest.  When the
    file would still not be TOML, nothing is written (:class:`ConfigError`).  Returns the
    file as read back, problems left in other keys included.
    """
    import tomli_w
    import tomllib
    from orbitview.util.atomic import atomic_write_text
    path = path or config_path()
    key = key.strip().lower().replace("-", "_")
    new = check_value(key, value) if value is not None else None
    if value is None and key not in KEYS:
        check_value(key, "")
    before = read_config(path)
    if before.unreadable == frozenset(KEYS) and before.problems and path.exists():
        problem = before.problems[0]
        if "TOML" not in problem.what:            # unreadable or not UTF-8: not editable
            raise ConfigError([problem], key)
        original = path.read_text(encoding="utf-8")
        text, origin = _replace_key(original, key,
                                    None if new is None else tomli_w.dumps({key: new}).strip())
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            line, _ = _toml_position(e, text)
            line = origin[line - 1] if line else None          # a line of the file as it is
            bad = original.splitlines()[line - 1] if line else ""
            raise ConfigError([Problem(
                path, line, f"{SCOPE} would still not be valid TOML after "
                f"{'setting' if new is not None else 'removing'} {key}; nothing was written",
                bad, _whole_file_fix(path, line, bad), scope=SCOPE)]) from None
        atomic_write_text(path, text)
        return read_config(path)
    try:
        current = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):   # raced with another writer
        current = {}
    if new is None:
        current.pop(key, None)
    else:
        current[key] = new
    ordered = {k: current[k] for k in KEYS if k in current}
    atomic_write_text(path, "# orbitview configuration: 'orbitview config show' explains "
                            "each key\n" + tomli_w.dumps(ordered))
    return read_config(path)


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
