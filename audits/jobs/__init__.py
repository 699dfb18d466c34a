"""Long work as jobs: asked for by a page or a schedule, run by a worker, its progress and
result read back by the reader who asked (imports only ``db``).

- ``queue``: ``defer`` (a second identical request joins the first), ``status``, the job
  functions' registry and ``run_job``, which runs one and records its progress and result.
- ``postgres``: on PostgreSQL the queue is procrastinate's (its schema applied by a migration),
  so any number of app processes defer and any number of ``evenly worker`` processes run.
- ``postgres_schema``: procrastinate's schema created, and upgraded by the SQL migrations
  each release ships (``evenly migrate``).
- ``worker``: a worker: procrastinate's on PostgreSQL, a small loop over the ``job`` table on
  SQLite (inside the app, or ``evenly worker``).
"""
