"""The demo organisation (may import every room; only ``evenly demo``, bench/ and tests import
it; ``demo.actions`` and ``demo.visits`` are the demo's own, not the rooms of those names).

- ``generator``: regions, branches, people and a year of audits from a seed (pure).
- ``answers``: how a demo shopper answers each item given the visit's quality (pure).
- ``load``: the generated organisation loaded into the database, safe to run twice.
- ``visits``: the demo's visit plan, five weeks around its last day.
- ``actions``: the demo's corrective actions, replayed through the code publishing uses.
"""
