"""Tables bound to their engine without Piccolo's finder, for commands that start cold.

A table that has no engine asks ``piccolo.engine.engine_finder`` at its first query, which
imports ``piccolo.conf.apps``, and that imports ``black`` (the code formatter, for writing
migrations): 0.2–0.5 s of an ``evenly report`` that makes one PDF. ``bind_tables`` gives every
table the engine the finder would have found (``DB`` of the module named by ``PICCOLO_CONF``,
default ``piccolo_conf``), so nothing else changes.
"""

from __future__ import annotations

import importlib
import os

from piccolo.table import Table


def bind_tables() -> None:
    """Every table defined so far without an engine gets the configured one."""
    conf = importlib.import_module(os.environ.get("PICCOLO_CONF", "piccolo_conf"))
    waiting = [Table]
    while waiting:
        for table in waiting.pop().__subclasses__():
            if table._meta._db is None:
                table._meta.db = conf.DB
            waiting.append(table)
