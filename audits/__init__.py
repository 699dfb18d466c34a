"""The audits Piccolo app (``tables``, ``piccolo_app``, ``piccolo_migrations``) and its rooms.

Each room is a package about one part of the domain; its ``__init__`` says what each module is
for. A room imports only the rooms it builds on (tests/unit/test_architecture.py):

    boundary, db   shared plumbing            import no room
    org            the organisation, people   imports boundary, db
    visits         planned visits             + org
    fieldwork      audits filed and reviewed  + org, visits
    actions        corrective actions         + org, fieldwork
    demo           the demo organisation      any room; imported only by ``evenly demo``

Where a room has them, modules keep one role each: ``services`` write, ``selectors`` read,
``schemas`` are the shapes at the boundary (and the room's errors), ``rules`` are pure functions
of the domain, ``commands`` the room's ``evenly`` CLI commands. Outside its room, such a module is
imported as ``<room>_<module>`` (``from audits.visits import selectors as visits_selectors``).
"""
