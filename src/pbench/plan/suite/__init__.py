"""Suite files (``benchmarks.toml``): read, check and select benchmarks; no click here.

A suite is a list of ``[[benchmark]]`` tables, each naming a command, a URL or a query
and setting any option of its subcommand under the option's long name (``min_runs`` for
``--min-runs``); ``[defaults]`` and ``[tier.NAME]`` tables set the same keys for many
benchmarks. Which keys exist, what TOML type each takes and how a value is checked are
given by a :class:`~pbench.plan.suite.schema.SuiteSchema` that ``cli/`` derives from the
click commands, so a suite key means exactly what its option means.

- :mod:`~pbench.plan.suite.schema`: the schema's shape, the kinds and built-in tiers.
- :mod:`~pbench.plan.suite.source`: the file, its TOML, where keys are, the problems.
- :mod:`~pbench.plan.suite.expand`: ``${VAR}``, ``${VAR:-default}`` and ``$$``.
- :mod:`~pbench.plan.suite.values`: TOML types of option values, ``parameters``.
- :mod:`~pbench.plan.suite.layers`: one table (defaults, tier, benchmark) checked.
- :mod:`~pbench.plan.suite.merge`: the layers of one benchmark merged.
- :mod:`~pbench.plan.suite.select`: tiers, tags and ``-k`` patterns.
- :mod:`~pbench.plan.suite.read`: :func:`read_suite_path`, the one entry point.
"""
