"""The versions of the files pbench writes, and their history: the JSON export, which
``pbench compare`` reads back (``schema_version``), and the JSON of ``pbench compare``
itself (``compare_schema_version``). The writers (:mod:`pbench.export.json`,
:mod:`pbench.export.compare`) and the reader (:mod:`pbench.results.read`) use these
constants, so the version written is the version read, and the key names below, so a
key written is a key read (and checked for its type).

``schema_version`` (bump it on any change that can break a reader, note additions here):

1  pbench 0.1.0. Top level ``schema_version, metadata, reference, results,
   comparisons``. Each result carries hyperfine's keys first (``command, mean, stddev,
   median, user, system, min, max, times, memory_usage_byte, exit_codes`` and
   ``parameters`` when parameters are used; seconds, bytes; ``command`` is the display
   name, as in hyperfine), then pbench's: ``name, command_line,
   statistics, measurements, warmups, stop_reason, info, notes, warnings`` and one key
   per target-specific section.
2  budgets (``--budget``): top-level ``budgets``, present when budgets were set, a list
   of checks ``benchmark, metric, level, limit, quantity, bigger_is_better, status,
   measured, low, high, note`` (base units; null without data). Load runs' slices
   (``measurements``) gain ``p90_s``, ``p95_s`` and ``p99_9_s`` beside ``p99_s``.
   With budgets, top-level ``scores`` (``benchmarks``: name → ``score, band, weakest,
   reason``; ``suite``: ``score, band``); top-level ``recommendations`` (name → texts)
   when any follow from the measurements. Suites (``pbench suite``): ``metadata``
   gains ``suite`` (``file, tier, tags, pattern``) and each result's ``info`` gains
   ``suite_benchmark`` (the ``[[benchmark]]`` it comes from).
   Command load runs (``pbench run --concurrency``): a ``load`` section as HTTP and
   SQL have, with ``resources`` (exact CPU and peak memory of every run) and sample
   columns ``end_s, user_s, system_s, cpu_s, peak_memory_bytes``, and ``command_load``
   section. Concurrency sweeps: top-level ``scaling`` (one table per benchmark:
   ``benchmark, levels[], knee, knee_reason, scales_to, min_efficiency, min_gain,
   rule``); each level's result is ``NAME (c=N)`` with ``parameters.concurrency``.

   Load sections gain ``histogram`` (the exact latency histogram: ``sub_bucket_bits,
   total, min, max, sum, saturated, indices, counts``) and ``window`` (the measuring
   window's ``start`` and ``end``, ISO 8601 UTC); ``pbench merge`` adds ``machines``.

   ``--measure`` (issue 25): each result gains ``measure`` (``wall``, ``cpu``,
   ``instructions``, ``cycles``), ``unit`` (``second``, ``instruction``, ``cycle``: the
   unit of ``times``, ``mean``... ``statistics``) and ``measured_with`` (how the figure
   was taken). Absent means wall time. Counted runs' ``measurements`` gain
   ``instructions`` or ``cycles`` and ``processes_counted``.

``compare_schema_version``:

1  pbench 0.1.0: ``compare_schema_version, tool, baseline, candidate, settings,
   benchmarks[], only_in_baseline, only_in_candidate, gates[], regressions,
   inconclusive``.
2  several result files per side: ``baseline``/``candidate`` gain ``paths`` (every
   file) and ``path`` is null when there are several; each benchmark side gains
   ``result_files``, ``slices`` and ``load``, and ``median``/``mean`` are over slices,
   averaged over runs; each comparison gains ``runs_*``, ``slices_*`` and
   ``run_to_run_in_interval``; top-level ``warnings``.

   ``--measure`` (issue 25): each benchmark gains ``measure`` and ``unit`` (what its
   ``median``/``mean`` are: seconds, instructions, cycles).
"""

RESULT_FILE_SCHEMA_VERSION = 2
COMPARE_SCHEMA_VERSION = 2

# The key names of a result entry and of a measurement record, shared by the writer
# (pbench.export.json) and the reader (pbench.results.read), and what each holds:
# "number", "integer", "string", "bool", "object", "list" ("?" suffix: null allowed).
# A section (any other entry key) or metric (any other record key) that collides with
# one of these is written with the prefix and read back without it.
HYPERFINE_STATS = ("mean", "stddev", "median", "user", "system", "min", "max")
RESULT_KEYS: dict[str, str] = {
    "command": "string",
    **dict.fromkeys(HYPERFINE_STATS, "number?"),
    "times": "list",
    "memory_usage_byte": "list",
    "exit_codes": "list",
    "parameters": "object",
    "name": "string?",
    "command_line": "string?",
    "statistics": "object?",
    "measurements": "list",
    "warmups": "integer?",
    "stop_reason": "string?",
    "measure": "string?",
    "unit": "string?",
    "measured_with": "string?",
    "info": "object?",
    "notes": "list?",
    "warnings": "list?",
}
RECORD_KEYS: dict[str, str] = {
    "wall": "number",
    "user": "number?",
    "system": "number?",
    "peak_memory_bytes": "integer?",
    "exit_code": "integer?",
    "signal": "integer?",
    "timed_out": "bool?",
    "error": "string?",
    "round": "integer",
    "position": "integer",
    "iteration": "integer",
    "loops": "integer",
}
SECTION_PREFIX = "section_"
METRIC_PREFIX = "metric_"
# The top-level keys of a result file and what each holds.
DOCUMENT_KEYS: dict[str, str] = {
    "schema_version": "integer?",
    "metadata": "object?",
    "reference": "string?",
    "results": "list",
    "comparisons": "list?",
    "budgets": "list?",
    "scores": "object?",
    "scaling": "list?",
    "recommendations": "object?",
    "other_diagnoses": "object?",
    "baseline": "object?",
}
