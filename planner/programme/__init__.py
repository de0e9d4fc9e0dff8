"""Programme access: what cultural events residents can walk to in a month, and who is left out.

``access.programme_access`` is the one entry point (the CLI, the dashboard, the exports and the
benchmark call it); it returns numbers, ids and flags, and ``planner.presentation.programme``
turns them into words.
"""
