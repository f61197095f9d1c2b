"""Tab completion through click's protocol, run as the shell runs it: a fresh process with
COMP_WORDS, COMP_CWORD and _ORBITVIEW_COMPLETE=bash_complete in its environment.

Every case also asserts an empty stderr: a TAB must never print an error (or a note)
into the user's shell.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO, run_cli


def complete(words: str, config_text: str | None = None, tmp_path=None,
             shell: str = "bash") -> tuple[list[str], str]:
    """(candidates, stderr) of TAB after ``orbitview WORDS`` (the last word is the one being
    completed; a trailing space completes a new word)."""
    env = dict(os.environ)
    if config_text is not None:
        path = tmp_path / "config.toml"
        path.write_text(config_text, encoding="utf-8")
        env["ORBITVIEW_CONFIG"] = str(path)
    comp_words = f"orbitview {words}"
    env.update({"COMP_WORDS": comp_words, "_ORBITVIEW_COMPLETE": f"{shell}_complete",
                "COMP_CWORD": str(len(comp_words.split(" ")) - 1)})
    out = subprocess.run([sys.executable, "-m", "orbitview"], capture_output=True,
                         text=True, env=env, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    if shell == "zsh":                  # type, value, description: three lines each
        assert lines[0::3] == ["plain"] * (len(lines) // 3), lines
        return lines[1::3], out.stderr
    assert all(line.startswith("plain,") for line in lines), lines
    return [line.split(",", 1)[1] for line in lines], out.stderr


def test_satellite_names():
    got, err = complete("passes PRS")
    assert err == ""
    assert got[:3] == ["PRSS-1", "PRSC-EO1", "PRSC-S1"] and "PRSC-EO3" in got
    assert all(g.upper().startswith("PRS") for g in got)


def test_well_known_names_and_shell_quoting():
    got, err = complete("look Tiang")
    assert err == "" and got[0] == "Tiangong"
    got, err = complete("look CSS")
    assert err == "" and "CSS\\ \\(TIANHE\\)" in got        # bash inserts it as typed


def test_site_region_and_group_names():
    got, err = complete("passes --site Lah")
    assert (got, err) == (["Lahore"], "")
    got, err = complete("coverage --region Pu")
    assert (got, err) == (["Punjab"], "")
    got, err = complete("coverage --region K")
    assert "KP" in got and "Khyber\\ Pakhtunkhwa" in got and err == ""
    got, err = complete("tle update --group st")
    assert got == ["stations", "starlink"] and err == ""


def test_no_missing_site_error_while_completing(tmp_path):
    """No home site configured: passes' --site default must not say 'Missing option'."""
    got, err = complete("passes --format ")
    assert got == ["table", "csv", "json", "ics"]
    assert err == "" and "Missing option" not in err
    # Nor with an unreadable config file, nor a zone that makes times 'read in' a zone.
    got, err = complete("passes --start 2026-06-01 --format ", "site = [\n", tmp_path)
    assert got == ["table", "csv", "json", "ics"] and err == ""
    got, err = complete("passes PRSS-1 --start 2026-06-01 --site Lah",
                        'tz = "Asia/Karachi"\n', tmp_path)
    assert got == ["Lahore"] and err == ""


def test_zsh_gets_the_names_unquoted():
    env_words = "look CSS"
    got, err = complete(env_words, shell="zsh")
    assert err == "" and "CSS (TIANHE)" in got


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_command_prints_the_script(shell):
    status, out, err = run_cli("completion", shell)
    assert status == 0 and err == ""
    assert f"_ORBITVIEW_COMPLETE={shell}_" in out


def test_completion_refuses_an_unknown_shell():
    status, _, err = run_cli("completion", "powershell")
    assert status == 2 and "'powershell' is not one of 'bash', 'zsh', 'fish'" in err


def test_every_names_argument_completes_satellites():
    """Every command that takes satellites completes their names (map, animate and export
    included); partners completes its partner objects."""
    import click

    from orbitview.cli import cli, completion

    def commands(group, path=""):
        for name, command in group.commands.items():
            words = f"{path} {name}".strip()
            if isinstance(command, click.Group):
                yield from commands(command, words)
            else:
                yield words, command

    checked = 0
    for words, command in commands(cli):
        for param in command.params:
            if isinstance(param, click.Argument) and param.name in ("names", "name") \
                    and not words.startswith("config"):
                function = completion.partners if words == "partners" else \
                    completion.satellites
                assert completion.completer_for(words, param) is function, words
                assert param.shell_complete.__name__ == "shell_complete", words
                checked += 1
    assert checked >= 15
