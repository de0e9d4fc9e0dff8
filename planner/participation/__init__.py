"""Residents' proposals: what people ask for, where, and how a proposal becomes a scenario.

- ``proposals``: the ``Proposal`` value, its statuses and checks;
- ``importing``: proposals from a CSV or GeoJSON file as survey tools export them;
- ``store``: proposals kept in the planner's database, beside the saved scenarios;
- ``summary``: proposals per district and category;
- ``scenario``: a proposal of a service turned into a scenario edit (``AddFacility``).
"""
