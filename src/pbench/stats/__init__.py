"""Pure statistics: functions on numbers, no result or plan types (numpy and scipy are
imported lazily where they are used).

- :mod:`pbench.stats.summary`: location, spread, percentiles, intervals, outliers.
- :mod:`pbench.stats.resampling`: bootstrap, Mann-Whitney U, Holm's adjustment.
- :mod:`pbench.stats.comparison`: ratios with intervals; :mod:`pbench.stats.verdict`
  decides from their plain values; :mod:`pbench.stats.hierarchy` for several runs per
  side; :mod:`pbench.stats.gate` for ``--fail-if``.
- :mod:`pbench.stats.advice`: which flags advice may name for a kind of result.
- :mod:`pbench.stats.changepoint`: change points of a history (``pbench trend``), from
  :mod:`pbench.stats.noise`, :mod:`pbench.stats.seeded` (candidates),
  :mod:`pbench.stats.segmentation` (step, line or both), :mod:`pbench.stats.rank_scan`
  and :mod:`pbench.stats.step_fit` (tests, p-values from :mod:`pbench.stats.scan_tail`)
  and :mod:`pbench.stats.spread` (noisier since); :mod:`pbench.stats.recent` for the
  recent slope and whether the newest value is an anomaly.
"""
