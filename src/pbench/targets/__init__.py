"""Targets: one execution of a command, an HTTP request or a SQL query.

Every target implements :class:`pbench.models.Target`; the runner owns the loop.
"""
