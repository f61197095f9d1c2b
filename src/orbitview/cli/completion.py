"""Tab completion: ``orbitview completion bash|zsh|fish`` and what each value completes to.

The shell asks the program itself (click's shell completion protocol: the script sets
``_ORBITVIEW_COMPLETE=bash_complete`` and ``COMP_WORDS``/``COMP_CWORD``) and prints the
candidates.  :func:`attach` gives every parameter of the command tree its candidates, once,
when the commands are registered (:mod:`orbitview.cli`): satellite names (launch records
and their aliases, the well-known objects of ``data/aliases.csv`` and of the bundled
stations group, the objects of ``--elements`` files and stored groups where reading them
is cheap), built-in site names, region names (world, pakistan, provinces and their
abbreviations), CelesTrak group names, time zones and config keys.

Completing never prints anything but candidates: it reads the data silently, and the
options' defaults and callbacks do not run their checks (``ctx.resilient_parsing``, see
:mod:`orbitview.cli.session`).  Of the CLI it imports only the parameter types
(:mod:`orbitview.cli.params`), to recognise sites, regions and targets.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_ORBITVIEW_COMPLETE"
"""The environment variable of click's completion protocol for the program 'orbitview'."""
ELEMENTS_META = "orbitview.elements"
"""Where --elements records its files in the context (orbitview.cli.session.META_ELEMENTS)."""
MAX_READ_BYTES = 4 << 20
"""Element files and stored groups larger than this (together) are not read to complete a
name: a Starlink-sized catalogue would make every TAB slow."""

CELESTRAK_GROUPS = ("stations", "visual", "active", "last-30-days", "geo", "resource",
                    "weather", "science", "amateur", "gps-ops", "starlink", "oneweb",
                    "kuiper", "intelsat", "eutelsat", "orbcomm", "telesat", "globalstar",
                    "iridium-NEXT")
"""CelesTrak GP groups offered for ``tle update --group`` (celestrak.org/NORAD/elements;
the names as listed in brahe's CelesTrak guide, duncaneddy.github.io/brahe/latest/learn/
datasets/celestrak.html), after the groups already stored."""

CONFIG_KEYS = ("site", "tz", "min_elevation", "auto_update")
AUTO_UPDATE = ("never", "notify", "daily", "weekly")


# --------------------------------------------------------------------------- the command

@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def command(shell):
    """Print the tab-completion script for bash, zsh or fish.

    Satellite names, built-in sites, regions, CelesTrak groups, time zones and option
    values then complete with TAB.  Load it once per shell session, or add the line to
    your shell's start-up file:

    \b
    bash (~/.bashrc):   eval "$(orbitview completion bash)"
    zsh  (~/.zshrc):    eval "$(orbitview completion zsh)"
    fish:               orbitview completion fish > ~/.config/fish/completions/orbitview.fish

    \b
    Examples:
      orbitview completion bash
      orbitview completion fish
    """
    from click.shell_completion import get_completion_class
    root = click.get_current_context().find_root().command
    script = get_completion_class(shell)(root, {}, "orbitview", COMPLETE_VAR).source()
    click.echo(script)


# --------------------------------------------------------------------------- candidates

def _quiet(function):
    """Candidates from ``function``, or none when the data cannot be read: completing
    never fails and never prints."""
    def complete(ctx, param, incomplete):
        try:
            values = function(ctx, param, incomplete)
        except Exception:  # noqa: BLE001 - a TAB must not print a traceback into the shell
            return []
        return [CompletionItem(_for_shell(v)) for v in values]
    complete.__name__ = function.__name__
    complete.__doc__ = function.__doc__
    return complete


def _for_shell(value: str) -> str:
    """bash inserts a candidate as typed: escape spaces and brackets ('CSS\\ \\(TIANHE\\)');
    zsh and fish quote candidates themselves."""
    if os.environ.get(COMPLETE_VAR, "").startswith("bash"):
        return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)
    return value


def matching(values, incomplete: str) -> list[str]:
    """``values`` that start with ``incomplete`` (case ignored), each once, in order; if
    none does, those whose folded form ('prss1') starts with the folded text."""
    from orbitview.util.names import normalize
    folded: dict[str, str] = {}
    for v in values:                    # 'PAKSAT-1R' after 'PakSat-1R' is the same name
        if v and normalize(v) not in folded:
            folded[normalize(v) or v] = v
    values = list(folded.values())
    text = incomplete.lower()
    out = [v for v in values if v.lower().startswith(text)]
    if out or not normalize(incomplete):
        return out
    key = normalize(incomplete)
    return [v for v in values if normalize(v).startswith(key)]


def _records():
    from orbitview.data.catalog import read_launches
    from orbitview.data.datadir import data_dir
    return read_launches(data_dir() / "launches.csv")[0]


def _well_known_names() -> list[str]:
    from orbitview.data.aliases import WellKnown
    from orbitview.data.datadir import data_dir
    return list(WellKnown(data_dir()).names())


def _external_names(ctx) -> list[str]:
    """Names of the objects of --elements files and stored groups, where cheap to read."""
    from orbitview.data.freshness import groups_dir
    files = []
    while ctx is not None:
        files += ctx.meta.get(ELEMENTS_META) or []
        ctx = ctx.parent
    paths = [Path(f) for f in files]
    store = groups_dir()
    if store.is_dir():
        paths += sorted(store.glob("*.json"))
    budget, names = MAX_READ_BYTES, []
    for path in paths:
        size = path.stat().st_size
        if size > budget:
            continue
        budget -= size
        names += _names_in(path)
    return names


def _names_in(path: Path) -> list[str]:
    if path.suffix == ".json" and path.parent.name == "groups":
        import json
        records = json.loads(path.read_text(encoding="utf-8")).get("records", [])
        return [str(r.get("OBJECT_NAME", "")).strip() for r in records if isinstance(r, dict)]
    from orbitview.data.external import read_elements_file
    return [s.name for s in read_elements_file(path)]


def _partner_names() -> list[str]:
    from orbitview.data.datadir import data_dir
    from orbitview.util.csvfile import read_csv
    table = read_csv(data_dir() / "partner_sensors.csv", ("name",), "")
    return [row["name"] for _, row, _ in table.rows]


@_quiet
def satellites(ctx, param, incomplete):
    """Launch records (names, then aliases not already matched), well-known objects,
    objects of element files and stored groups; NORAD numbers when digits are typed."""
    records = _records()
    if incomplete.isdecimal():
        numbers = [str(r.norad_id) for r in records if r.norad_id]
        return matching(numbers, incomplete)
    names = matching([r.name for r in records], incomplete)
    owners = {r.name for r in records if r.name in names}
    names += matching([a for r in records if r.name not in owners for a in r.aliases],
                      incomplete)
    names += matching(_well_known_names(), incomplete)
    names += matching(_external_names(ctx), incomplete)
    return list(dict.fromkeys(names))


@_quiet
def partners(ctx, param, incomplete):
    """PARTNERS of ``partners``: the objects of data/partner_sensors.csv."""
    return matching(_partner_names(), incomplete)


@_quiet
def geo_objects(ctx, param, incomplete):
    """--around: the GEO records, then the objects of the bundled GEO catalogue."""
    from orbitview.data.datadir import data_dir
    records = [r.name for r in _records() if r.orbit_class == "GEO"]
    path = data_dir() / "catalogs" / "geo.tle"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    belt = [line.strip() for line in lines[0::3]]
    return matching(records + belt, incomplete)


@_quiet
def imagers(ctx, param, incomplete):
    """--instrument: the satellites of sensors.csv with an imaging instrument."""
    from orbitview.data.datadir import data_dir
    from orbitview.util.csvfile import read_csv
    table = read_csv(data_dir() / "sensors.csv", ("name", "kind"), "")
    return matching([row["name"] for _, row, _ in table.rows if row.get("kind") != "none"],
                    incomplete)


@_quiet
def sites(ctx, param, incomplete):
    """Built-in sites (Islamabad, Lahore, ...); LAT,LON is typed."""
    from orbitview.data.sites import load_sites
    return matching([s.name for s in load_sites().values()], incomplete)


def _provinces() -> list[str]:
    from orbitview.data.regions import PROVINCE_ABBREVIATIONS, PROVINCES
    return [*PROVINCES, *dict.fromkeys(a for a in PROVINCE_ABBREVIATIONS.values()
                                       if a not in PROVINCES)]


@_quiet
def map_regions(ctx, param, incomplete):
    """--region of maps: world or pakistan (W,E,S,N is typed)."""
    return matching(["world", "pakistan"], incomplete)


@_quiet
def provinces(ctx, param, incomplete):
    """--region of coverage and partners: pakistan, a province or territory, or its
    abbreviation (KP, GB, AJK, ICT)."""
    return matching(["pakistan", *_provinces()], incomplete)


@_quiet
def targets(ctx, param, incomplete):
    """--target: built-in sites, Pakistan, provinces and abbreviations."""
    from orbitview.data.sites import load_sites
    return matching([s.name for s in load_sites().values()] + ["Pakistan", *_provinces()],
                    incomplete)


@_quiet
def groups(ctx, param, incomplete):
    """--group: the groups already stored, then CelesTrak's usual groups."""
    from orbitview.data.freshness import groups_dir
    store = groups_dir()
    stored = sorted(p.stem for p in store.glob("*.json")) if store.is_dir() else []
    return matching([*stored, *CELESTRAK_GROUPS], incomplete)


@_quiet
def zones(ctx, param, incomplete):
    """--tz: IANA zone names (Asia/Karachi, UTC, ...)."""
    import zoneinfo
    names = sorted(zoneinfo.available_timezones())
    return matching(["Asia/Karachi", "UTC", *names], incomplete)


@_quiet
def config_keys(ctx, param, incomplete):
    return matching(CONFIG_KEYS, incomplete)


@_quiet
def config_values(ctx, param, incomplete):
    """The values of the key given before: sites, zones, the auto_update modes."""
    key = str((ctx.params or {}).get("key") or "").strip().lower().replace("-", "_")
    if key == "site":
        return [item.value for item in sites(ctx, param, incomplete)]
    if key == "tz":
        return [item.value for item in zones(ctx, param, incomplete)]
    if key == "auto_update":
        return matching(AUTO_UPDATE, incomplete)
    if key == "min_elevation":
        return matching(["10"], incomplete)
    return []


# --------------------------------------------------------------------------- attaching them

OPTION_COMPLETES = {"around": geo_objects, "instrument": imagers, "group": groups,
                    "tz": zones}
"""Options by name whose values complete (beside those completed by their type)."""


def _by_type(param):
    """Candidates of a parameter from its type: sites, regions, targets."""
    from orbitview.cli import params
    kind = type(param.type).__name__
    if isinstance(param.type, params.SiteType):
        return sites
    if isinstance(param.type, params.TargetType):
        return targets
    if isinstance(param.type, params.RegionType):
        return map_regions
    if kind == "RegionOrProvince":
        return provinces
    return None


def completer_for(command_path: str, param) -> object | None:
    """What ``param`` of the command ``command_path`` ('passes', 'config set') completes."""
    if isinstance(param, click.Argument):
        if command_path.startswith("config"):
            return {"key": config_keys, "value": config_values}.get(param.name)
        if command_path == "partners":
            return partners
        if param.name in ("names", "name"):
            return satellites
        return None
    found = _by_type(param)
    if found is not None:
        return found
    if param.name == "region" and command_path == "partners":
        return provinces
    return OPTION_COMPLETES.get(param.name)


def attach(group: click.Group, path: str = "") -> None:
    """Give every parameter of ``group``'s commands (recursively) its candidates."""
    for name, command in group.commands.items():
        words = f"{path} {name}".strip()
        if isinstance(command, click.Group):
            attach(command, words)
            continue
        for param in command.params:
            function = completer_for(words, param)
            if function is not None and not isinstance(param.type, click.Choice):
                param.shell_complete = _bound(function, param)


def _bound(function, param):
    """``param.shell_complete(ctx, incomplete)`` as click calls it, from ``function(ctx,
    param, incomplete)``."""
    def shell_complete(ctx, incomplete):
        return function(ctx, param, incomplete)
    return shell_complete
