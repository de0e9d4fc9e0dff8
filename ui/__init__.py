"""The Streamlit dashboard's user interface: sidebar, cached state and one module per page.

UI only: every figure comes from ``planner``; ``planner.presentation.tables`` and
``planner.presentation.explain`` shape its results into display tables and sentences (shared
with the command line).
"""
