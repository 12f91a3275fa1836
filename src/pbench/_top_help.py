"""What ``pbench --help`` prints on a terminal at least 80 columns wide (click's
rendering of :data:`pbench.cli.main_group`'s help at that width), so that the entry
point can print it without importing click (it sits outside pbench.cli, whose
import is click's). tests/cli/test_startup.py checks that it
is click's text; after changing the group's help, regenerate it with
``python -c "from pbench.cli import top_help_text; print(top_help_text(), end='')"``
pasted here.
"""

TOP_HELP = """\
Usage: pbench [OPTIONS] COMMAND [ARGS]...

  Benchmark shell commands, HTTP endpoints and SQL queries.

  pbench 'sleep 0.1' 'sleep 0.2'          compare two commands
  pbench --warmup 3 'grep -r foo .' 'rg foo'
  pbench http http://127.0.0.1:8000/api    time an endpoint
  pbench sql 'SELECT 1'                    time a query (SQLite in memory)
  pbench compare base.json new.json        gate CI on a regression
  pbench run --baseline main ./app         ... against a saved run (--save-baseline)
  pbench suite --tier quick                run ./benchmarks.toml's quick tier
  pbench system-check                      is this machine fit to measure?
  pbench report results.json -o pr.md      a Markdown report for a PR comment
  pbench history                           runs saved with --save, with trends
  pbench trend                             change points in the saved runs
  pbench merge m1.json m2.json -o all.json  load runs of several machines, combined

Options:
  -V, --version  Show the version and exit.
  -h, --help     Show this message and exit.

Commands:
  run           Benchmark shell commands, hyperfine style.
  http          Load HTTP endpoints with an in-process HTTP/1.1 client.
  sql           Benchmark SQL queries: SQLite (built in) or PostgreSQL.
  compare       Compare result files (pbench's or hyperfine's --export-json).
  suite         Run the benchmarks of a suite file (./benchmarks.toml).
  system-check  Check this machine for what makes timings noisy.
  report        Make a report from result files, compare files and saved runs.
  merge         Merge load results of the same benchmarks, several machines.
  history       Saved runs (--save): list them, or import result files.
  trend         Change points and recent trends of saved runs.

  Exit codes:
    0    success; no budget broken, no regression
    1    a benchmark failed (non-zero exit without -i, timeout,
         unreachable target, query error), or --save could not save
         (or --baseline could not read the store)
    2    usage or configuration error (bad flag, bad file, bad DSN/URL,
         unknown --baseline REF, a baseline of another machine)
    3    a regression was detected against the baseline (--baseline REF,
         pbench compare)
    4    a budget was broken
    5    inconclusive: too noisy to decide (only where asked)
    130  interrupted (Ctrl-C); partial results were written
"""
