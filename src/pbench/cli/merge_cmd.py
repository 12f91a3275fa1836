"""``pbench merge FILE… -o merged.json``: load results of the same benchmarks from
several machines combined into one result file (see :mod:`pbench.load.merge`)."""

from __future__ import annotations

import click

from pbench.cli.common import guarded

EPILOG = """\b
Several load machines, one result:
  # on each machine (an ssh loop, a Kubernetes Job, a CI matrix):
  pbench http -c 100 -d 60s --start-at 2026-12-01T12:00:00Z URL --export-json m1.json
  # then, with every machine's file:
  pbench merge m1.json m2.json m3.json -o merged.json

\b
Exit codes:
  0  merged
  2  unreadable or malformed file, files of different benchmarks or settings
     (the setting is named), fewer than two files
"""


@click.command("merge", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE",
    help="Where the merged result file (pbench's JSON) goes ('-' = stdout).",
)
@guarded
def merge(files: tuple[str, ...], output: str) -> int:
    """Merge load results of the same benchmarks run on several machines at once.

    The exact latency histograms are added (the merged percentiles are those of every
    request of every machine), counts and errors are added, throughputs are summed
    over the machines' overlapping window, and each machine's own figures are kept.
    Files whose settings differ are refused, naming the setting.
    """
    from pbench.errors import ExitCode
    from pbench.export import export_error, render
    from pbench.export.atomic import probe_writable, write_to
    from pbench.load.merge import merge_runs
    from pbench.results.read import read_json
    from pbench.results.restore import restore

    if output != "-":
        try:
            probe_writable(output)
        except OSError as exc:
            raise export_error(output, exc, "the merged file") from None
    loaded = [(path, restore(read_json(path, "result"), path)) for path in files]
    merged = merge_runs(loaded)
    text = render("json", merged)
    if output == "-":
        click.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            write_to(output, text)
        except OSError as exc:
            raise export_error(output, exc, "the merged file") from None
    for result in merged.results:
        load = result.sections["load"]
        latency = load.get("latency") or {}
        figures = ", ".join(
            f"{key} {latency[key] * 1e3:.3f} ms" for key in ("p50", "p99") if key in latency
        )
        click.echo(
            f"pbench: merged {result.name!r}: {load['requests']:,} requests from"
            f" {len(files)} machines, {load['throughput']['requests_per_s']:,.1f} requests/s"
            + (f", {figures}" if figures else ""),
            err=True,
        )
        for warning in merged.warnings.get(result.name, ()):
            click.echo(f"pbench: warning: {warning}", err=True)
    return int(ExitCode.OK)
