"""Words for results: result keys turned into text per language (CLI, dashboard, exports)."""
