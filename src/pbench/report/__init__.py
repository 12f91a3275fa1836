"""Text for people: the terminal report of a run (:mod:`pbench.report.terminal`), the
table of ``pbench compare`` (:mod:`pbench.report.compare`), the figures of load runs
(:mod:`pbench.report.load`), and units (:mod:`pbench.report.units`)."""
