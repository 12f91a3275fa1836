"""Load runs shared by the HTTP and SQL targets: many requests, bounded memory.

Modules, in the order data flows:

- :mod:`pbench.load.schedule`: :class:`LoadPlan` (closed loop for N runs or a duration,
  or open loop at a global rate) and :class:`Tickets`, which pace the clients.
- :mod:`pbench.load.threads`: :func:`run_threads`, the driver for BLOCKING clients
  (one thread and one connection each, ``run_once() -> Outcome``), used by the SQL
  pool. The HTTP target drives its asyncio clients itself with the same tickets.
- :mod:`pbench.load.recorder`: :class:`Recorder` (cheap per-request recording, folded
  into histograms off the hot path), :class:`LoadRun`, :func:`merge_runs`.
- :mod:`pbench.load.histogram`: :class:`LatencyHistogram`, fixed-size and mergeable.
- :mod:`pbench.load.result`: :func:`to_benchmark_result`, a LoadRun as a
  :class:`pbench.models.BenchmarkResult` (capped sample + full-histogram summary +
  ``sections["load"]``).

The loop over benchmarks and slices is :mod:`pbench.run.load`; the figures shown in the
terminal are :mod:`pbench.report.load`.

Typical use by a blocking target::

    plan = LoadPlan(concurrency=4, duration_s=10, rate=500)
    run = run_threads(lambda i: MyClient(dsn), plan)
    result = to_benchmark_result(run, plan, name, command, info)
"""
