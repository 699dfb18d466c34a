"""What crosses the boundary, checked once (pure; imports no room).

- ``bounds``: the bounded types (``Code``, ``Name``, ``Id``, ...) body Structs are made of, and
  ``WithinCalendar`` for dates.
- ``csv_guard``: the one CSV writer, which neutralises formula cells, and its reverse for imports.
"""
