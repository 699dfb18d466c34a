"""The organisation and its people (imports no other room, only ``db`` and ``boundary``).

Each module is one subject, its reads and writes together; errors name the form field and are
never HTTP errors.

- ``users``: who is using the app: ``authenticate``, ``get_current_user`` (the ``CurrentUser``
  every request carries) and ``create_user`` (CLI, demo, tests).
- ``people``: admins managing people: list, add, change role and branches, deactivate,
  passwords, language.
- ``organisation``: settings, regions, branches, shifts and staff as admins read and edit them
  (``get_*``/``list_*`` read, ``save_*``/``add_*``/``delete_*`` write).
- ``fields``: checks of the organisation's fields, shared by the forms and the CSV import (pure).
- ``csv_files``: branches, staff and shifts CSV files read and checked row by row (pure).
- ``org_import``: those files written: upsert by code (shifts by name), all rows or none.
- ``org_export``: the same files written out from the database, through the CSV guard.
- ``tokens``: API tokens (shown once, stored hashed, revocable).
- ``sessions``: browser sessions that can be ended.
- ``commands``: ``evenly org import|export`` and ``evenly user create|token``.
"""
