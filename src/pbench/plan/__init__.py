"""Plans: the flags of a subcommand turned once into frozen, typed plans; no click here.

- :mod:`pbench.plan.options`: the typed flags ``cli/`` hands over (one dataclass per
  subcommand, built from shared groups).
- :mod:`pbench.plan.values`: durations, fractions, exit codes, ``NAME=VALUE``.
- :mod:`pbench.plan.parameters`: -P/-D scans and -L lists, and their substitution.
- :mod:`pbench.plan.rules`: the checks every plan makes (run counts, -r against -d,
  --precision of a load run, hooks once or per benchmark, unique names).
- :mod:`pbench.plan.run`, :mod:`pbench.plan.http`, :mod:`pbench.plan.sql`: the plan of
  each subcommand (benchmarks, targets, hooks, load and slices).
- :mod:`pbench.plan.suite`: a suite file (``benchmarks.toml``) read, checked whole and
  selected from, into each benchmark's flags; its keys come from ``cli.suite_keys``.
"""
