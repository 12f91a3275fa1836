"""Text for people: the terminal report (:mod:`pbench.report.terminal`), the figures of
load runs (:mod:`pbench.report.load`), and units (:mod:`pbench.report.units`)."""
