"""Reports by e-mail: who head office subscribed to which report, how often, and what was sent
(imports ``org``). Building the PDFs and sending them is the web layer's
(``web.scheduled_reports``).

- ``rules``: the kinds and cadences, the period a run delivers, what a subscription may be for
  whom (pure).
- ``schemas``: ``SubscriptionCreate``, ``SubscriptionOut``, ``DeliveryOut`` and the room's errors.
- ``services``: writes: subscribe, stop, and each delivery claimed before it is sent.
- ``selectors``: reads: the subscriptions, who is due what, the delivery log, approved visits.
"""
