"""The presentation layer: engine results turned into text, tables and sentences per language.

The engine (``planner.analysis``, ``gaps``, ``provision``, ``figures``, ...) returns numbers, ids,
status keys and size tuples; everything a person reads is made here, once, for the CLI, the
dashboard, the maps and the exports alike. Languages are ``"en"`` and ``"ru"`` (``words.Lang``).

- ``catalogue`` — every interface string by key in both languages (``t(key, lang)``) and the
  plural forms of capacity units; a test fails when a key lacks a language or code uses a
  missing key;
- ``words`` — keys, ids and numbers into words: ``pick`` (the one language switch), locale
  numbers and shares, ``plural``/``quantity``, service/district/facility names, status and
  provenance words, ``project_text``, citations;
- ``explain`` — ``explain_block``: why a block is (not) served, facts and one sentence
  (``provision_sentence``);
- ``tables`` — translated display tables (scorecard, districts, gaps, requirements, facilities,
  provenance, norms), numbers kept as numbers;
- ``views`` — coverage classes of blocks and residents served, behind the map and the charts;
- ``report`` — the plain-text reports the CLI prints.

Nothing here imports Streamlit.
"""
