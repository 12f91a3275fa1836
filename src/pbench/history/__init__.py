"""History: saved runs, baselines and trends (SQLite by default, PostgreSQL for a fleet).

- :mod:`~pbench.history.store`: the :class:`~pbench.history.store.Store` protocol (the
  query API), where a store is (:class:`StoreAddress`) and :class:`StoreError`.
- :mod:`~pbench.history.records`: what is saved (:class:`RunRecord`) and what queries
  return (:class:`Point`, :class:`RunInfo`, :class:`StoredResult`).
- :mod:`~pbench.history.fingerprint`: the machine a run was measured on, and its hash.
- :mod:`~pbench.history.capture`: a finished invocation's results as a record, redacted.
- :mod:`~pbench.history.importing`: pbench and hyperfine JSON files as records.
- :mod:`~pbench.history.schema`: the one schema (DDL of both dialects) and migrations.
- :mod:`~pbench.history.queries`: the store over any DB-API connection and dialect.
- :mod:`~pbench.history.sqlite`, :mod:`~pbench.history.postgres`: the two backends.
- :mod:`~pbench.history.backends`: the registry, :func:`open_store`.
- :mod:`~pbench.history.listing`: the rows ``pbench history`` lists, with changes.
- :mod:`~pbench.history.trend`: one benchmark's series on one machine analysed (change
  points with their commits, recent slope, the newest run's anomaly): ``pbench trend``
  and the reports' history.
- :mod:`~pbench.history.refs`: what ``--baseline REF`` names (a baseline, latest,
  ``branch:``, ``commit:``), on this machine unless ``--any-machine``.
- :mod:`~pbench.history.baseline`: a run or result file compared with a stored run, by
  ``pbench compare``'s engine.
"""
