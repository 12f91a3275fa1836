"""The result file: what pbench writes and reads back.

- :mod:`pbench.results.schema`: the one ``schema_version`` (and the compare JSON's), with
  the history of both formats.
- :mod:`pbench.results.read`: pbench and hyperfine JSON exports read for ``compare``.
- :mod:`pbench.results.pairing`: benchmarks of two sides paired by name, compared, gated.
- :mod:`pbench.results.metadata`: tool, time, platform, CPU, memory, Python, git.
- :mod:`pbench.results.redact`: the one place that masks secrets.
"""
