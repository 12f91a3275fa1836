"""pbench: benchmark commands, HTTP endpoints and SQL queries as black boxes.

Architecture
============

One package per stage of the pipeline; data flows down this list and imports point
down it too (a layers contract in ``pyproject.toml``, checked by
``tests/test_architecture.py``, keeps it so)::

    __main__.py   the entry point: ``main()`` returns the exit status
    cli/          the click commands: parse flags into typed flags once, plan, and
                  hand the plans to session/ (a contract: cli/ reaches history,
                  notify, export, report, load, targets and run only through it);
                  ClickOutput prints
    session/      the application layer, never click: measure(plan, session) for
                  every kind of plan and measure_levels for a concurrency sweep, the
                  Session that publishes a run (report, exports, --baseline, job
                  summary, webhooks, saving), a comparison (compare.py), a report
                  (report.py), a suite's benchmarks (suite.py, suite_show.py), export
                  and webhook checks (exports.py), history listing and import,
                  trends, merge; all terminal text through an injected Output
                  (output.py), interrupts deferred while publishing
    notify/       webhooks (--notify): events (a budget broken, a regression, a change
                  point) as one JSON payload with chat text, POSTed with retries
    plan/         typed flags (options) turned once into frozen plans: values
                  (durations, percentages), parameters (-P/-L), rules every plan
                  checks, the run, http and sql plans, budgets, and suite files
                  (suite/: benchmarks.toml read, checked and selected), history and
                  trend queries
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
    export/       files for machines: json, csv, markdown, html, compare; atomic writes
    report/       text for people: terminal, compare table, load figures, budgets
                  table, units; the self-contained HTML report (html/) and the SVG
                  charts it draws (charts/), the Markdown report, chart files
    history/      the store of saved runs (SQLite, PostgreSQL; schema and migrations),
                  baselines (--baseline REF), trends and change points of the series
    results/      the result file: schema version and key names (shared with
                  export/json.py), one validating reader (read.py: the times compare
                  reads, the RunResults report and merge restore), report_files,
                  pairing, metadata, redaction
    system/       is this machine fit to measure? /proc and /sys judged (system-check)
    models.py     plain data: outcomes, measurements, plans, results, a run's RunResults
    stats/        pure: settings (alpha, threshold and their defaults), summary,
                  intervals, resampling, comparison, verdict,
                  hierarchy, gate, advice, budget (metrics, judging), score, trend,
                  diagnosis, change points
    errors.py     errors that own their exit code

``models`` carries statistics (``Summary``, ``Comparison``, imported for types only),
so it sits above ``stats``; nothing in ``stats`` knows a result or a plan. ``results``
sits below ``export`` and ``report``, which write and show it, and above ``models``.
"""

__version__ = "0.1.0"
