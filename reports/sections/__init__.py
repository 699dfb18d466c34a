"""The sections of the branch and head-office reports, by topic (pure).

Each module makes the sections of one topic for either report: ``standing`` (where a branch
stands among the others), ``trend`` (change over time and control charts), ``consistency``
(where scores differ: shifts, staff, channels, variance sources), ``checklist`` (sections and
items), ``auditors`` (shoppers' severity and calibration), ``visits`` and ``recovery``.
"""
