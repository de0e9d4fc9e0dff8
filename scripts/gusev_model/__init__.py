"""Helpers of ``scripts/build_gusev_model.py``: the modelled Gusev town folder, built reproducibly.

Modules, in the order the generator uses them:

- ``layout``: the hand-placed frame (grid transform, river and railway axes, named streets);
- ``zones``: water polygons, railway, park, industry and open land built from that frame;
- ``lines``: exact line splitting and noding, so that streets meet at shared vertices;
- ``streets``: the walking network (grid, main streets, bridges, crossings, pruning, connectivity);
- ``areas``: districts and residential blocks with population and cohorts;
- ``facilities``: real facilities (approximate positions) and illustrative stand-ins;
- ``output``: GeoJSON, ``town.toml`` and the generated blocks of ``README.md``.
"""
