"""The command line's contract with its user: one readable line per error, documented exit codes.

Exit codes: 0 success; 1 invalid data (a town folder or norm set with errors, each listed on its
own line); 2 any other error (one line); 130 interrupted (Ctrl+C). Never a traceback, unless
``-v`` asks for one after an unexpected error. When the reader of stdout goes away
(``planner gaps ... | head -1``) the command stops quietly, as Python's documentation recommends
(SIGPIPE section of the ``signal`` module).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from planner.errors import DataValidationError, PlannerError, shorten
from planner.fileio import describe_os_error
from planner.scenarios.errors import ScenarioError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

MAX_ISSUES_SHOWN = 50
"""At most this many problems of invalid data are printed; ``planner validate`` lists all."""

PROGRAM = "planner"


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print ``planner <command>: error: <message> (see --help)`` and exit with code 2."""
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def output_path(text: str) -> Path:
    """Argument type of ``--out``: a path, never the empty string (which would mean ".")."""
    if not text.strip():
        msg = "the path is empty; give the folder to write to (e.g. --out results)"
        raise argparse.ArgumentTypeError(msg)
    return Path(text)


def positive_number(text: str) -> float:
    """Argument type of a finite number greater than 0."""
    value = _finite(text)
    if value <= 0:
        msg = f"{text!r} must be greater than 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def non_negative_number(text: str) -> float:
    """Argument type of a finite number of 0 or more."""
    value = _finite(text)
    if value < 0:
        msg = f"{text!r} must be 0 or more"
        raise argparse.ArgumentTypeError(msg)
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        msg = f"{shorten(text, 40)!r} is not a finite number"
        raise argparse.ArgumentTypeError(msg)
    return value


def run_guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a subcommand, turning every failure into its line(s) on stderr and an exit code.

    Parameters
    ----------
    command
        The subcommand; returns its exit code.
    args
        Its parsed arguments (``args.verbose`` shows a traceback for unexpected errors).

    Returns
    -------
    int
        The exit code.
    """
    verbose = bool(getattr(args, "verbose", False))
    try:
        code = command(args)
        sys.stdout.flush()  # inside the guard: a closed pipe surfaces here, not at exit
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_ERROR
    except DataValidationError as err:
        _report_invalid(err)
        return EXIT_INVALID
    except ScenarioError as err:  # an invalid scenario is invalid input, wherever it surfaces
        _say(f"invalid: {err}")
        return EXIT_INVALID
    except PlannerError as err:
        _say(f"error: {err}")
        return EXIT_ERROR
    except OSError as err:
        _say(f"error: {describe_os_error(err)}")
        return EXIT_ERROR
    except MemoryError:
        _say("error: ran out of memory; close other programs or analyse fewer services.")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("interrupted; nothing was changed.")
        return EXIT_INTERRUPTED
    except Exception as err:  # the last line of defence: never a traceback
        if verbose:
            traceback.print_exc(file=sys.stderr)
        hint = "" if verbose else "; run again with -v to see where"
        _say(f"internal error ({type(err).__name__}: {err}){hint}. Please report it.")
        return EXIT_ERROR
    return code


def configure_logging(*, verbose: bool) -> None:
    """Log progress with ``-v``; library warnings (with their internal paths) only with ``-v``."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.DEBUG if verbose else logging.ERROR)


def _report_invalid(err: DataValidationError) -> None:
    errors = [i for i in err.issues if i.severity == "error"]
    summary = str(err).split(" First:", 1)[0].rstrip(".")
    _say(f"error: {summary}" + (":" if errors else "."))
    for issue in errors[:MAX_ISSUES_SHOWN]:
        print(f"  - {shorten(str(issue))}", file=sys.stderr)
    if len(errors) > MAX_ISSUES_SHOWN:
        more = len(errors) - MAX_ISSUES_SHOWN
        print(f"  ... and {more} more (planner validate lists them all)", file=sys.stderr)


def _say(text: str) -> None:
    print(f"{PROGRAM}: {shorten(' '.join(text.split()))}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests): nothing will be flushed to a closed pipe
