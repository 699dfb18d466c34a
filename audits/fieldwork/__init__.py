"""Audits: filed by shoppers, reviewed by head office, read by role (imports ``org``, ``visits``,
``webhooks``).

- ``schemas``: an audit at the boundary (what a client sends and reads back) and the room's
  errors (``AuditRejected``, ``AuditNotFound``, ``AuditConflict``).
- ``selectors``: audits read as the caller may see them, and the look-ups filing needs.
- ``filing``: filing an audit: validate, score, flag and store it once per client-made id.
- ``drafts``: forms in progress kept on the server.
- ``evidence``: photos as evidence: checked, cleaned, hashed and stored.
- ``photos``: uploaded images made safe (decoded within limits, capture time read, metadata
  stripped; pure).
- ``presence``: evidence of presence: distance to the branch, time on the form, photos taken
  outside the visit (pure).
- ``review``: head office's queue, return to the shopper, and the trail of changes (approving
  is ``audits.actions.services.approve_audit``, which opens the corrective actions too).
- ``rules``: filing rules: local visit time, its shift, review flags (pure).
- ``risk``: how much a submitted audit deserves a look first, and why (pure).
- ``disclosure``: what each role may learn about a visit; a manager never learns who the
  shopper was (pure).
- ``import_csv``: audit history CSV read and checked (pure).
- ``import_plan``: what an import will write, checked against what is stored (pure).
- ``imports``: an import written, all of it or none.
- ``import_runs``: a large upload's import run by a worker, a chunk per transaction, finished
  once however often it is run again.
- ``export``: published audits written in the import format.
- ``events``: submitted, published and returned audits and finished imports told to other
  systems (the webhooks outbox), in the transaction of each.
- ``commands``: ``evenly import audits`` and ``evenly export audits``.
"""
