"""The ``planner`` command line (one module per group of subcommands)."""

from planner.cli.main import main

__all__ = ["main"]
