"""``pbench merge``'s work: load results of the same benchmarks from several machines
read, combined (:mod:`pbench.load.merge`) and written as one result file, with a line
per benchmark through the :class:`~pbench.session.output.Output`."""

from __future__ import annotations

from collections.abc import Sequence

from pbench.session.output import Output


def merge_files(files: Sequence[str], destination: str, output: Output) -> int:
    """Merge ``files`` into ``destination`` ('-': stdout, through ``output``); the exit
    status. A file that cannot be read or merged is a UsageError (exit 2)."""
    from pbench.errors import ExitCode
    from pbench.export import export_error, render
    from pbench.export.atomic import probe_writable, write_to
    from pbench.load.merge import merge_runs
    from pbench.results.read import read_json, restore

    if destination != "-":
        try:
            probe_writable(destination)
        except OSError as exc:
            raise export_error(destination, exc, "the merged file") from None
    loaded = [(path, restore(read_json(path, "result"), path)) for path in files]
    merged = merge_runs(loaded)
    text = render("json", merged)
    if destination == "-":
        output.echo(text, nl=not text.endswith("\n"))
    else:
        try:
            write_to(destination, text)
        except OSError as exc:
            raise export_error(destination, exc, "the merged file") from None
    for result in merged.results:
        load = result.sections["load"]
        latency = load.get("latency") or {}
        figures = ", ".join(
            f"{key} {latency[key] * 1e3:.3f} ms" for key in ("p50", "p99") if key in latency
        )
        output.echo(
            f"pbench: merged {result.name!r}: {load['requests']:,} requests from"
            f" {len(files)} machines, {load['throughput']['requests_per_s']:,.1f} requests/s"
            + (f", {figures}" if figures else ""),
            err=True,
        )
        for warning in merged.warnings.get(result.name, ()):
            output.echo(f"pbench: warning: {warning}", err=True)
    return int(ExitCode.OK)
