"""Load runs shared by the HTTP, SQL and command targets: many requests, bounded memory.

Modules, in the order data flows:

- :mod:`pbench.load.schedule`: :class:`LoadPlan` (closed loop for N runs or a duration,
  or open loop at a global rate) and :class:`Tickets`, which pace the clients.
- :mod:`pbench.load.threads`: :class:`ThreadPool`, the pool of BLOCKING clients
  (one thread and one connection each, ``run_once() -> Outcome``) behind the SQL
  target's load runs and the command target's (one resident launcher each). The
  HTTP target drives its asyncio clients itself with the same tickets.
- :mod:`pbench.load.recorder`: :class:`Recorder` (cheap per-request recording, folded
  into histograms off the hot path), :class:`LoadRun`, :func:`merge_runs`.
- :mod:`pbench.load.histogram`: :class:`LatencyHistogram`, fixed-size and mergeable.
- :mod:`pbench.load.resources`: the exact CPU time and peak memory of a command load
  run's runs (the recorder's extra columns), as ``sections["load"]["resources"]``.
- :mod:`pbench.load.result`: a LoadRun's figures: ``sections["load"]``
  (:func:`load_section`, with a sample of requests) and the summary of a benchmark's
  slices (:func:`summary_from_slices`).

The loop over benchmarks and slices is :mod:`pbench.run.load`; the figures shown in the
terminal are :mod:`pbench.report.load`.
"""
