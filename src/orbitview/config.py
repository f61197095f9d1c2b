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

A malformed file is an error naming the file, the line and the fix; it never
stops ``orbitview config path`` or ``config set`` from repairing it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem, UsageError

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

    def as_dict(self) -> dict:
        return {"site": self.site, "tz": self.tz, "min_elevation": self.min_elevation,
                "auto_update": self.auto_update}


FIX = "correct the value with 'orbitview config set KEY VALUE', or edit or delete the file"


def check_value(key: str, value, where: str = "") -> object:
    """A config value checked (and converted); UsageError naming what is wrong."""
    label = f"{where}{key}"
    if key not in KEYS:
        raise UsageError(f"unknown config key {key!r}.\nFix: use one of {', '.join(KEYS)}.")
    if key == "site":
        from .sites import parse_site
        parse_site(str(value))                       # raises a clear UsageError
        return str(value)
    if key == "tz":
        from .localtime import get_zone
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


def load_config(path: Path | None = None) -> Config:
    """Read the config file (defaults when it does not exist)."""
    path = path or config_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as e:
        raise DataError([Problem(path, None, f"cannot read the config file ({e.strerror})", "",
                                 "check its permissions, or delete it")]) from None
    import tomllib                   # only when there is a file to read
    try:
        values = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError([Problem(path, None, "the config file is not UTF-8 text", "",
                                 FIX)]) from None
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        if line is None:
            import re
            m = re.search(r"line (\d+)", str(e))
            line = int(m.group(1)) if m else None
        raise DataError([Problem(path, line, f"not valid TOML: {e}", "", FIX)]) from None
    problems, checked = [], {}
    for key, value in values.items():
        line = _line_of(data.decode("utf-8"), key)
        try:
            checked[key] = check_value(key, value)
        except UsageError as e:
            what, _, fix = str(e).partition("\nFix: ")
            problems.append(Problem(path, line, what, f"{key} = {value!r}", fix or FIX))
    if problems:
        raise DataError(problems)
    return Config(site=checked.get("site"), tz=checked.get("tz"),
                  min_elevation=checked.get("min_elevation"),
                  auto_update=checked.get("auto_update", "notify"), path=path)


def _line_of(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(key) and "=" in line:
            return i
    return None


def set_value(key: str, value: str | None, path: Path | None = None) -> Config:
    """Set (or, with ``value=None``, remove) one key; the file is written atomically."""
    import tomli_w
    import tomllib
    from .atomic import atomic_write_text
    path = path or config_path()
    key = key.strip().lower().replace("-", "_")
    new = check_value(key, value) if value is not None else None
    try:
        current = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        current = {}                                 # a broken file is replaced, not merged
    if new is None:
        if key not in KEYS:
            check_value(key, "")
        current.pop(key, None)
    else:
        current[key] = new
    ordered = {k: current[k] for k in KEYS if k in current}
    atomic_write_text(path, "# orbitview configuration: 'orbitview config show' explains "
                            "each key\n" + tomli_w.dumps(ordered))
    return load_config(path)
