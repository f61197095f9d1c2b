"""Every example shown in every --help runs, so that the examples cannot rot.

The examples are read from the help text itself (the lines under "Examples:"), split as
a shell would split them, and run through the real entry point in an empty directory
(figures and files they write land there).  'now' is fixed with ORBITVIEW_NOW, so 'now',
'tonight' and '+2h' in an example mean the same instant on every run; 'tle update'
examples fetch from a CelesTrak look-alike on 127.0.0.1 (tests/gpserver.py).  The config
file is empty for each example.  Commands documented elsewhere (map, animate, export: the
web helper's) are not required to carry examples here, but theirs run too.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex

import click
import pytest
from conftest import PAKSAT_MM1_OMM, TESTDATA, run_cli

NOW = "2026-06-01T06:00:00Z"
"""'now' of every example: two days after the bundled stations group's epoch, within the
span of every bundled Pakistani element set."""
NOT_HERE = {"map", "animate", "export"}
"""Commands whose help another change documents."""


def _command_paths():
    from orbitview.cli import cli

    def walk(group, path):
        for name, command in group.commands.items():
            words = (*path, name)
            yield words, command
            if isinstance(command, click.Group):
                yield from walk(command, words)
    yield (), cli
    yield from walk(cli, ())


def _help(words) -> str:
    from orbitview.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main([*words, "--help"]) == 0
    return out.getvalue()


def examples_in(text: str) -> list[str]:
    """The command lines under 'Examples:' in a help text."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.strip() == "Examples:":
            for follow in lines[i + 1:]:
                if not follow.strip().startswith("orbitview "):
                    break
                out.append(follow.strip())
    return out


HELP = {words: _help(words) for words, _ in _command_paths()}
EXAMPLES = [(words, line) for words, text in HELP.items() for line in examples_in(text)]


def test_every_command_shows_examples():
    missing = []
    for words, command in _command_paths():
        if words and words[0] in NOT_HERE:
            continue
        found = examples_in(HELP[words])
        options = [p for p in command.params if p.name not in ("help",)]
        needed = 1 if isinstance(command, click.Group) or not options else 2
        if len(found) < needed or len(found) > 4:
            missing.append((" ".join(words) or "orbitview", len(found)))
        for line in found:                        # each example is of its own command
            if words:
                assert line.startswith(f"orbitview {' '.join(words)}") or \
                    isinstance(command, click.Group), line
    assert missing == []
    assert len(EXAMPLES) >= 60


def _omm_of_newest_set(norad: int) -> dict:
    from orbitview.data.catalog import load_catalog
    from orbitview.data.sources import _tle_as_omm
    return _tle_as_omm(load_catalog().resolve(str(norad)).elements[-1])


def _stations_omm() -> bytes:
    from orbitview.data.elements import parse_tle_text
    from orbitview.data.sources import _tle_as_omm
    sets, _ = parse_tle_text((TESTDATA / "catalogs" / "stations.tle").read_text(),
                             "stations.tle")
    return json.dumps([_tle_as_omm(es) for es in sets]).encode()


@pytest.mark.parametrize("words,line", EXAMPLES,
                         ids=[f"{' '.join(w) or 'orbitview'}: {line}" for w, line in EXAMPLES])
def test_example_runs(words, line, tmp_path, monkeypatch, request):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ORBITVIEW_NOW", NOW)
    monkeypatch.setenv("ORBITVIEW_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("COLUMNS", "120")
    args = shlex.split(line)
    assert args[0] == "orbitview"
    if args[1:3] == ["tle", "update"]:
        server = request.getfixturevalue("server")
        server.routes[59915] = (200, json.dumps([PAKSAT_MM1_OMM]).encode(), 0)
        server.routes[43530] = (200, json.dumps([_omm_of_newest_set(43530)]).encode(), 0)
        server.routes[0] = (200, _stations_omm(), 0)
    status, out, err = run_cli(*args[1:])
    assert status == 0, f"{line}\n{err}"
    assert "Traceback" not in err
    for flag in ("-o", "--output", "--sensors-out"):
        if flag in args and args[1] != "sky":        # sky writes no file when no pass
            assert (tmp_path / args[args.index(flag) + 1]).is_file(), line
