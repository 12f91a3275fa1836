"""The measuring loops and what follows them, without click.

- :mod:`pbench.run.runner`: warmups, interleaved rounds, adaptive stopping, hooks; the
  one place that times ``target.execute()``.
- :mod:`pbench.run.load`: the one load runner HTTP and SQL share (slices of a pool
  of connections, interleaved in random rounds, precision-driven stopping).
- :mod:`pbench.run.results`: from finished results to a :class:`pbench.models.RunResults`
  (summaries, warnings, comparisons with fitting advice) and load-failure errors.
- :mod:`pbench.run.warnings`: the warnings about a finished benchmark, with advice.
"""
