"""Corrective actions: opened by published audits, followed up by branches and head office
(imports ``org``, ``fieldwork``, ``webhooks``).

- ``services``: writes: ``approve_audit`` (publish an audit and open the actions it calls for,
  in one transaction), re-checks by later visits, and each person's steps (note, done, verify,
  reopen).
- ``changes``: owners reassigned, a due date moved with its reason, a step on many actions.
- ``selectors``: actions read as the caller may see them; overdue derived per branch time zone.
- ``rules``: what opens, severity, due dates, allowed steps, recheck outcomes (pure).
- ``reminders``: who is reminded of which open or overdue actions (the web layer sends them).
- ``events``: opened, overdue and verified actions told to other systems (the webhooks outbox).
- ``mail_log``: the e-mail log that lets each reminder go out at most once a day.
"""
