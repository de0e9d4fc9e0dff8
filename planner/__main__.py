"""Run the command line as ``python -m planner``."""

from __future__ import annotations

import sys

from planner.cli.main import main

sys.exit(main())
