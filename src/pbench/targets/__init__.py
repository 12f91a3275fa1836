"""Targets: one execution of a command, an HTTP request or a SQL query, the same shape
each (``command/``, ``http/``, ``sql/``), independent of one another.

Every target implements :class:`pbench.models.Target`; the runner owns the loop. HTTP and
SQL also offer a pool (:class:`pbench.run.load.LoadPool`) for the load runner.
"""
