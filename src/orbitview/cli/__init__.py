"""The ``orbitview`` command: argument parsing, formats and exit codes only.

Exit status: 0 success, 1 a problem with data or values (one readable message
and the fix on stderr), 2 a usage error.  ``--debug`` shows tracebacks.
Each command group lives in its own module; importing them registers the
commands on the root group :data:`cli`.
"""

from __future__ import annotations

import sys

import click

from ..errors import OrbitviewError
from . import coverage, elements, observe, records  # noqa: F401  (register commands)
from .common import cli

__all__ = ["cli", "main"]


# --------------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: turns orbitview errors into one message + exit 1."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        status = cli.main(args=args, prog_name="orbitview", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except (OrbitviewError, OSError) as e:
        if debug:
            raise
        click.echo(f"orbitview: error: {e}", err=True)
        return 1
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
