"""Planned visits: which shopper visits which branch when (imports ``org``).

- ``schemas``: ``VisitOut``, ``VisitCreate``, ``VisitFilters`` and the room's errors.
- ``selectors``: reads: visits listed with their state on the branch's local date, one visit,
  the open ones a shopper may claim, the plan generator's inputs, coverage.
- ``services``: writes: a visit planned by hand, a generated plan saved whole, claim (one
  winner), cancel.
- ``plan_requests``: a plan proposed from head office's settings (the form as typed, checked
  field by field) by the generator; nothing saved.
- ``coverage_reads``: coverage read in SQL for a chain's size: each branch's branch × shift
  cells counted, the matrix of a page of branches.
- ``coverage_summary``: those counts summed up per region, the branches to see to first, pages
  (pure).
- ``planning``: the plan generator, coverage, claim rules and a visit's state (pure).
- ``precision``: precision planning: a budget shared out where visits buy most certainty,
  visits a branch needs for a decision, what a plan is expected to buy (pure).
- ``plan_design``: the shopper side of a plan: loads kept even, the shopper × branch graph
  kept in one piece (pure).
- ``plan_types``: what a plan is made of (branches, shifts, shoppers, rules) and the plan
  itself, shared by ``planning`` and ``plan_design`` (pure).
"""
