"""``pbench compare`` below click (:func:`compare_files`): the exports a comparison asks
for (checked before anything is read), the baseline side from the history store, and
the publishing of a
:class:`~pbench.results.pairing.FileComparison`: warnings, the table and notes (on
stderr when an export takes stdout), every export, the job summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pbench.errors import UsageError

if TYPE_CHECKING:
    from pbench.plan.compare import CompareExports, CompareFlags
    from pbench.results.pairing import FileComparison
    from pbench.results.read import Side
    from pbench.session.output import Output

Render = Callable[["FileComparison"], str]


@dataclass(frozen=True)
class Exports:
    """The exports asked for, each with its renderer, in the order they are written."""

    targets: tuple[tuple[str, Render], ...]

    @property
    def to_stdout(self) -> bool:
        return any(path == "-" for path, _ in self.targets)

    def probe(self) -> None:
        """Fail before any work when an export file cannot be written."""
        from pbench.session.exports import probe_export

        for path, _ in self.targets:
            if path != "-":
                probe_export(path)


def compare_files(flags: CompareFlags, output: Output) -> int:
    """One ``pbench compare``: the exports and ``--fail-if`` gates checked, the two
    sides read (result files, or a stored run as the baseline), compared, published;
    the exit status."""
    from pbench.plan.compare import STORED_HINT, candidate_paths, parse_match, sides, stored_ref
    from pbench.results.pairing import compare_result_files
    from pbench.results.read import read_side
    from pbench.stats.gate import parse_fail_if

    chosen = exports(flags.exports)
    gates = [parse_fail_if(text) for text in flags.fail_if]
    chosen.probe()
    ref = stored_ref(flags.baselines, flags.baseline_ref)
    if ref is not None:
        paths = candidate_paths(flags.files, flags.candidates)
        cand = read_side(paths, "candidate", flags.input_format)
        base = stored_side(ref, flags.store, flags.any_machine, cand, output)
    else:
        if flags.any_machine or flags.store is not None:
            raise UsageError(
                "--store and --any-machine apply to a stored baseline", hint=STORED_HINT
            )
        base_paths, cand_paths = sides(flags.files, flags.baselines, flags.candidates)
        base = read_side(base_paths, "baseline", flags.input_format)
        cand = read_side(cand_paths, "candidate", flags.input_format)
    result = compare_result_files(
        base,
        cand,
        matches=[parse_match(text, base.benchmarks, cand.benchmarks) for text in flags.matches],
        gates=gates,
        settings=flags.settings,
    )
    publish(result, chosen, output)
    return int(result.exit_code(flags.fail_on_inconclusive))


def exports(flags: CompareExports) -> Exports:
    """The exports of ``flags``; at most one on stdout (exit 2)."""
    from pbench.export import bmf, github_benchmark, junit
    from pbench.export import compare as compare_export
    from pbench.export import html as html_export

    renderers: list[tuple[str | None, Render]] = [
        (flags.json, compare_export.render_json),
        (flags.markdown, compare_export.render_markdown),
        (flags.html, html_export.render_comparison),
        (flags.junit, junit.render_comparison),
        (flags.github_benchmark, github_benchmark.render_comparison),
        (flags.github_benchmark_bigger, github_benchmark.render_comparison_bigger),
        (flags.bmf, bmf.render_comparison),
    ]
    targets = tuple((path, render) for path, render in renderers if path is not None)
    if sum(1 for path, _ in targets if path == "-") > 1:
        raise UsageError("only one export can go to stdout ('-')", hint="write the others to files")
    return Exports(targets)


def publish(result: FileComparison, chosen: Exports, output: Output) -> None:
    """What the user gets of a comparison: warnings on stderr, the table and notes
    (on stderr when an export takes stdout), the exports, the job summary."""
    from pbench.export import step_summary
    from pbench.report import compare as compare_report
    from pbench.session.exports import write_export
    from pbench.session.step_summary import append_step_summary

    to_stdout = chosen.to_stdout
    for line in compare_report.warnings(result):
        output.echo(f"pbench: warning: {line}", err=True)
    # With an export on stdout, the human-readable report moves to stderr.
    output.echo(compare_report.render_table(result), err=to_stdout)
    for line in compare_report.notes(result):
        output.echo(line, err=to_stdout)
    for path, render in chosen.targets:
        write_export(path, render(result), output)
    append_step_summary(lambda: step_summary.render_compare(result), output)


def stored_side(
    ref_text: str, store: str | None, any_machine: bool, candidate: Side, output: Output
) -> Side:
    """The stored run ``ref_text`` names, as the baseline side; a warning when it is of
    another machine (only with ``any_machine``)."""
    from pbench.history.backends import open_store
    from pbench.history.baseline import stored_side as read_stored
    from pbench.history.fingerprint import machine_from, this_host
    from pbench.history.refs import describe, find_run, parse_ref
    from pbench.session.baseline import missing_store
    from pbench.session.stores import named

    ref = parse_ref(ref_text)
    address = named(store)
    missing_store(address, ref.text)
    here = machine_from(candidate.files[0].metadata, this_host())
    with open_store(address, create=False) as opened:
        found = find_run(opened, ref, here, any_machine)
        side = read_stored(opened, found)
    if found.other_machine:
        output.echo(
            f"pbench: warning: --any-machine: {found.label} was measured on "
            f"{describe(found.machine)}, {candidate.path} on {describe(here)}: a difference "
            "may be the machines', not the code's",
            err=True,
        )
    return side
