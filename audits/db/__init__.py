"""Database plumbing under every room (imports no room).

- ``write_lock``: ``write_transaction`` / ``write_together``, the one way to write (SQLite
  writers queue on a lock; PostgreSQL ones run side by side).
- ``sqlite_pool``: the SQLite engine with connections kept open, for the app.
- ``kept_results``: finished computations (analyses, charts, PDFs) kept by a digest of their
  inputs.
- ``engine``: ``bind_tables``, every table given its engine without Piccolo's finder (which
  imports ``black``), for commands that start cold.
"""
