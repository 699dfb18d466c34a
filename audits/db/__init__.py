"""Database plumbing under every room (imports no room).

- ``write_lock``: ``write_transaction`` / ``write_together``, the one way to write (SQLite
  writers queue on a lock; PostgreSQL ones run side by side).
- ``sqlite_pool``: the SQLite engine with connections kept open, for the app.
- ``kept_results``: finished computations (analyses) kept by a digest of their inputs.
"""
