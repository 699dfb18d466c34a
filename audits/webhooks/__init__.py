"""Webhooks: events other systems follow, delivered signed and at least once (imports only
``db`` and ``boundary``; ``fieldwork`` and ``actions`` write their events through ``outbox``).

- ``rules``: the events, signing and its check, the retry schedule, endpoint fields (pure).
- ``schemas``: the body of each event (no person named), endpoints, the delivery log, errors.
- ``examples``: one made-up body of every event, for the API's documentation (pure).
- ``outbox``: an event and its deliveries written in the transaction of the fact.
- ``delivery``: the runner's pass: claim due deliveries, POST them signed, back off on failure.
- ``services``: admins' writes: endpoints registered, changed, rotated, deleted; a test sent.
- ``selectors``: endpoints and their delivery log as admins read them.
"""
