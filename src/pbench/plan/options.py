"""The flags of each subcommand, typed and frozen: what ``cli/`` hands to ``plan/``.

``cli/`` builds one of these from click's keyword arguments in one place
(:func:`pbench.cli.common.flags_from`); nothing below it sees click or a
``dict[str, Any]``. Field names are click's parameter names. Groups of flags that
several subcommands share are bases, so the rules that check them
(:mod:`pbench.plan.rules`) take the group, not the subcommand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pbench.models import Measure, Order, TimeUnit
from pbench.stats.settings import DEFAULTS, Settings, settings_with

Statistic = Literal["median", "mean"]


@dataclass(frozen=True, kw_only=True)
class PrecisionFlags:
    """--precision, --precision-of, --max-time."""

    precision: float | None
    precision_of: Statistic | None
    max_time: float | None


@dataclass(frozen=True, kw_only=True)
class CountFlags(PrecisionFlags):
    """-w, -m, -M, -r, --min-time (run and sql)."""

    warmup: int
    min_runs: int | None
    max_runs: int | None
    runs: int | None
    min_time: float


@dataclass(frozen=True, kw_only=True)
class ParameterFlags:
    """-P/-D and -L."""

    scans: tuple[tuple[str, str, str], ...]
    step: str | None
    lists: tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class BenchmarkFlags:
    """Names, the reference, the order and its seed (every subcommand)."""

    names: tuple[str, ...]
    reference: str | None
    seed: int | None
    order: Order


@dataclass(frozen=True, kw_only=True)
class RunFlags(CountFlags, ParameterFlags, BenchmarkFlags):
    """``pbench run``."""

    start_at: str | None = None  # --start-at: when a load run's measuring begins
    reference_name: str | None = None  # --reference-name: the name of --reference CMD

    commands: tuple[str, ...]
    setups: tuple[str, ...]
    prepares: tuple[str, ...]
    concludes: tuple[str, ...]
    cleanups: tuple[str, ...]
    shell: str
    no_shell: bool
    ignore_failure: bool
    ignore_failure_codes: str | None
    show_output: bool
    output: tuple[str, ...]  # once for all, or once per benchmark (the --reference first)
    input_path: str | None
    timeout: float | None
    env_pairs: tuple[str, ...]
    no_sample: bool
    sample_interval: float
    # --measure: the figure of each run (wall time, CPU time, Valgrind's counts)
    measure: Measure = "wall"
    # A load run (pbench.plan.run_load): -j/--concurrency (one level; a sweep's levels
    # are planned one at a time), -d/--duration, --rate, --slice.
    concurrency: int | None = None
    duration: float | None = None
    rate: float | None = None
    slice_s: float = 0.1


@dataclass(frozen=True, kw_only=True)
class SqlFlags(CountFlags, ParameterFlags, BenchmarkFlags):
    """``pbench sql``."""

    start_at: str | None = None  # --start-at: when a load run's measuring begins

    queries: tuple[str, ...]
    dsn: str
    setups: tuple[str, ...]
    prepares: tuple[str, ...]
    teardowns: tuple[str, ...]
    expect_rows: int | None
    timeout: float | None
    connect_each: bool
    prepared: bool
    transaction: bool
    loops: int | None
    clients: int
    duration: float | None
    rate: float | None
    slice_s: float


@dataclass(frozen=True, kw_only=True)
class HttpFlags(PrecisionFlags, BenchmarkFlags):
    """``pbench http``."""

    start_at: str | None = None  # --start-at: when a load run's measuring begins

    urls: tuple[str, ...]
    setups: tuple[str, ...]
    cleanups: tuple[str, ...]
    method: str
    headers: tuple[str, ...]
    body: str | None
    timeout: float
    no_keepalive: bool
    insecure: bool
    expect_status: tuple[str, ...]
    warmup: int
    concurrency: int
    runs: int | None
    duration: float | None
    rate: float | None
    workers: int
    keep_samples: int
    slice_s: float


@dataclass(frozen=True, kw_only=True)
class ReportFlags:
    """What the end of a run needs: the report's unit and order, the comparisons'
    settings, whether failed requests or queries of a load run still exit 0, and the
    ``--budget`` texts (parsed by :func:`pbench.plan.budgets.budgets_for`). The
    comparison settings default to :data:`pbench.stats.settings.DEFAULTS` (``pbench
    suite`` has no flags for them: each benchmark's come from the file)."""

    time_unit: TimeUnit | None
    sort: Literal["auto", "command", "mean-time"]
    alpha: float = DEFAULTS.alpha
    # None: not given (each comparison takes its measure's default, stats.settings)
    threshold: float | None = None
    seed: int | None = None
    ignore_failure: bool = False
    budgets: tuple[str, ...] = ()
    # --notify: webhook URLs (checked http(s) URLs) and the timeout of one attempt.
    notify: tuple[str, ...] = ()
    notify_timeout: float = 5.0

    @property
    def settings(self) -> Settings:
        """The comparison settings of these flags (``--alpha``, ``--threshold``,
        ``--seed``; the bootstrap's seed 0 without one)."""
        return settings_with(alpha=self.alpha, threshold=self.threshold, seed=self.seed or 0)


@dataclass(frozen=True, kw_only=True)
class SuiteFlags:
    """``pbench suite``'s own flags: the suite ``file``, which of its benchmarks run
    (``--tier``, ``--tag``, ``-k``), ``--list`` and ``--dry-run``, and ``--start-at``
    (the rest are :class:`ReportFlags`, the store flags and the exports)."""

    file: str
    tier: str | None
    tags: tuple[str, ...]
    pattern: str | None
    list_only: bool
    dry_run: bool
    start_at: str | None
