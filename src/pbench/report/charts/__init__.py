"""Charts drawn by pbench as SVG text: pure functions, numbers in, markup out.

No chart library: SVG written here is a few kilobytes per chart, fast to produce,
printable, readable without JavaScript, and has no licence or version to carry along.

- :mod:`~pbench.report.charts.distribution`: box plots and histograms,
- :mod:`~pbench.report.charts.lines`: progression of runs, time series, trends,
- :mod:`~pbench.report.charts.intervals`: parameter scans with error bars, ratios
  against the noise band,
- :mod:`~pbench.report.charts.percentiles`: latency on a "nines" axis,

built on :mod:`~pbench.report.charts.axes` (scales, ticks, units) and
:mod:`~pbench.report.charts.svg` (escaping, elements). Every text from the user is
escaped; output is deterministic (same data, same bytes); lines draw at most 2,000
points (:mod:`~pbench.report.charts.sampling`), while statistics and histogram bins
always use every value.
"""
