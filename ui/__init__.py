"""The Streamlit dashboard's user interface: sidebar, cached state and one module per page.

UI only: every figure comes from ``planner``. ``ui.tables`` and ``ui.explain`` shape
``planner`` results into display tables and sentences without importing Streamlit, so they
are tested directly.
"""
