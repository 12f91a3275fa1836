"""Text for people: the terminal report of a run (:mod:`pbench.report.terminal`), the
table of ``pbench compare`` (:mod:`pbench.report.compare`), the figures of load runs
(:mod:`pbench.report.load`), units (:mod:`pbench.report.units`), and the HTML report
(:mod:`pbench.report.html`) with its SVG charts (:mod:`pbench.report.charts`)."""
