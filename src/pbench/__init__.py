"""pbench: benchmark commands, HTTP endpoints and SQL queries as black boxes.

Architecture
============

One package per stage of the pipeline; data flows down this list and imports point
down it too (a layers contract in ``pyproject.toml``, checked by
``tests/test_architecture.py``, keeps it so)::

    __main__.py   the entry point: ``main()`` returns the exit status
    cli/          the click commands, one module each, and the option groups
                  (options.py): every command is flags -> plans -> measure ->
                  publish, its click keyword arguments read once into typed flags
                  (common.flags_from; run/http/sql: an Invocation, suite: a
                  SuiteInvocation, history/trend: their queries), then handed to
                  session/; suite_keys.py derives a suite file's keys from the
                  commands; ClickOutput prints
                  (a contract: cli/ reaches history, notify, export, report, load,
                  targets and run only through session/)
    session/      the application layer, never click: invocation.py (the typed
                  flags of run/http/sql's end, and their Session), measure.py (one
                  measure(plan, session) for every kind of plan, measure_levels for a
                  sweep, finish for an invocation), publish.py (the Session: report,
                  exports, --baseline via baseline.py, job summary via
                  step_summary.py, webhooks, saving via saving.py), load.py and
                  command_load.py (load runners inside a session), stores.py (the one
                  place a store's name becomes an address), suite.py (a suite's
                  invocation and its benchmarks in file order), suite_plan.py (each
                  planned by its kind's planner) and suite_show.py,
                  compare.py, report.py, history.py, trend.py, merge.py (the other
                  commands' work), exports.py (exports and webhooks checked, single
                  texts written); all terminal text through an injected Output
                  (output.py, with say_error for an invocation's last words),
                  interrupts deferred while publishing (interrupts.py)
    notify/       webhooks (--notify): events (a budget broken, a regression, a change
                  point) as one JSON payload with chat text, POSTed with retries
    plan/         typed, frozen flags of every command (options.py: run, http, sql,
                  report flags with the comparison defaults of stats/settings, suite;
                  store.py: the store flags; history.py: the history and trend
                  queries and history import; compare.py: compare's flags and which
                  files or stored run each side is) turned once into frozen plans: values
                  (durations, percentages; FROM_TEXT marks a field parsed from its
                  option's text), parameters (-P/-L), rules every plan checks, the
                  run, run-as-load (run_load.py; run_plans.py picks one for a
                  command and a suite alike), http and sql plans, budgets, report,
                  and suite files (suite/: benchmarks.toml read, checked and selected)
    run/          the measuring loops: runner (warmups, rounds, adaptive stop, hooks),
                  the one load runner that HTTP, SQL and command load runs share, the
                  scaling table of a concurrency sweep, the results builder
                  (results.py: summaries, comparisons), warnings, and budgets (estimates of each
                  metric with its interval, judged against --budget limits)
    targets/      one execution, the same shape each, independent of one another:
                  command/ (target, shell, hooks, launcher, process-tree sampler,
                            pool of copies for load runs)
                  http/    (request spec, connection, worker, pool)
                  sql/     (base, target, sqlite, postgres, cancel, dsn, pool)
    load/         what load runs share: schedule, recorder, histogram, threads, result,
                  resources (a command run's CPU time and peak memory), and merge
                  (several machines' results of one load combined exactly)
    export/       files for machines behind one registry (__init__.py): json, csv,
                  markdown, html, junit, github-benchmark, bmf, compare, history,
                  trend, baseline and the job summary; atomic writes (atomic.py) and
                  the exports rewritten after each benchmark (tracked.py, memo.py)
    report/       text for people: terminal, compare table, load figures, budgets
                  table, units; the self-contained HTML report (html/) and the SVG
                  charts it draws (charts/), the Markdown report, chart files
    history/      the store of saved runs behind the Store protocol (store.py;
                  sqlite.py, postgres.py, queries.py; schema and migrations), what a
                  run saves (capture.py, fingerprint.py), imports, listings,
                  baselines (refs.py: --baseline REF), trends and change points of
                  the series
    results/      the result file: schema version and key names (shared with
                  export/json.py), one validating reader (read.py: the times compare
                  reads, the RunResults report and merge restore), other harnesses'
                  files (formats/), report_files, pairing, metadata, redaction
    system/       is this machine fit to measure? /proc and /sys judged (system-check)
    models.py     plain data: outcomes, measurements, plans, results, a run's RunResults
    stats/        pure: settings (alpha, threshold and their defaults), summary,
                  intervals, resampling, comparison, verdict,
                  hierarchy, gate, advice, budget (metrics, judging), score, trend,
                  diagnosis, change points
    errors.py     errors that own their exit code
    _top_help.py  the stored text of ``pbench --help`` (imports nothing)

``models`` carries statistics (``Summary``, ``Comparison``, imported for types only),
so it sits above ``stats``; nothing in ``stats`` knows a result or a plan. ``results``
sits below ``export`` and ``report``, which write and show it, and above ``models``.
"""

__version__ = "0.1.0"
