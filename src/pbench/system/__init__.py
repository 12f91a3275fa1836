"""Is this machine fit to measure? Readings of /proc and /sys judged against what makes
timings noisy (pyperf's ``system show``): frequency scaling, turbo, SMT, competing load,
CPU steal, ASLR, memory pressure, battery power, isolated CPUs.

:mod:`pbench.system.sources` reads (every reader takes the root of the file tree, so
tests point it at a fake one), :mod:`pbench.system.checks` judges one reading each, and
:func:`pbench.system.fitness.fitness` runs them all in about half a second. Nothing here
prints; nothing here raises on a missing or unreadable file (the check is "unknown").
"""
