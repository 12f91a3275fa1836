"""``pbench history --format csv|json``: the listed rows for machines. Times in
seconds (``measure`` wall or cpu; instructions and cycles are counts), ``change`` as a
fraction (0.05: 5% slower than the run before it on the same machine and measure), a
missing figure empty (CSV) or null (JSON); run times in ISO 8601, UTC."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from pbench.history.listing import Listing, Row
from pbench.results.escape import csv_text

COLUMNS = ("run", "time", "commit", "branch", "machine", "benchmark", "median", "median_low",
           "median_high", "n", "unit", "change", "measure")  # fmt: skip


def row_fields(row: Row) -> dict[str, Any]:
    point = row.point
    return {
        "run": point.run_id,
        "time": point.time.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "commit": point.commit,
        "branch": point.branch,
        "machine": point.machine,
        "benchmark": point.benchmark,
        "median": point.median,
        "median_low": point.median_low,
        "median_high": point.median_high,
        "n": point.n,
        "unit": point.unit,
        "change": row.change,
        "measure": point.measure,  # what median is: wall, cpu (seconds), instructions, cycles
    }


def history_csv(listings: Sequence[Listing]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for found in listings:
        for row in found.rows:
            fields = row_fields(row)
            writer.writerow([_cell(fields[c]) for c in COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return csv_text(value) if isinstance(value, str) else value


def history_json(listings: Sequence[Listing], store: str) -> str:
    """``{"store": ADDRESS, "rows": [...]}``, the store's address redacted."""
    rows = [row_fields(row) for found in listings for row in found.rows]
    return json.dumps({"store": store, "rows": rows}, indent=2, ensure_ascii=False) + "\n"
