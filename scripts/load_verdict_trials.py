#!/usr/bin/env python3
"""Proof that verdicts on HTTP endpoints and SQL queries hold: A/A and A/B trials.

Every trial is ONE pbench invocation of two benchmarks at pbench's defaults (HTTP: 10 s
of load per URL on one connection, interleaved in 100 ms slices; SQL: one PostgreSQL
connection shared by both queries, runs in 100 ms slices for 3 s each), exported to
JSON; its comparison's verdict is tallied.

- HTTP A/A: the same URL twice (nginx, 45-byte file). Target: at most one "faster" or
  "slower" verdict in 20 trials.
- HTTP A/B: the 45-byte file against a 64 KiB file. Target: "slower" in at least 19 of 20.
- Separate runs: ``scripts/compare_trials.py --url`` runs the 45-byte file 12 times as
  separate ``pbench http -d 2s`` runs and prints how often ``pbench compare`` calls two
  of them slower or faster with one file per side and with three per side.
- Commands under concurrency (``pbench run -j 2 -d 2s``): A/A ``sleep 0.01`` twice
  (two copies at once, 100 ms slices interleaved), target at most one verdict in 20; A/B
  ``sleep 0.01`` against ``sleep 0.011`` (10% slower), target "slower" in at least 19.
- SQL A/A: ``SELECT 1`` twice on PostgreSQL. Target: at most one verdict in 20.
- SQL A/B: ``SELECT 1`` against ``SELECT sum(g) FROM generate_series(1, N) g`` with N
  calibrated first (one long interleaved run) so that it is about 10% slower. Target:
  "slower" in at least 19 of 20.

The servers are started here, on 127.0.0.1 only: nginx (Debian's nginx-light; one
worker, its default configuration otherwise) from a private configuration in a
temporary folder, and PostgreSQL the way the tests start it (initdb + pg_ctl into a
temporary folder). Client and servers share the machine's cores, unpinned, as a user's
first run would.

    python3 scripts/load_verdict_trials.py [--trials 20] [--only http|sql|command]

Exit status 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pbench.cli import run_cli  # noqa: E402

NGINX_CONF = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
daemon on;
events {{ }}
http {{
    access_log off;
    client_body_temp_path {folder}/tmp;
    proxy_temp_path {folder}/tmp;
    fastcgi_temp_path {folder}/tmp;
    uwsgi_temp_path {folder}/tmp;
    scgi_temp_path {folder}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def nginx() -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed: apt-get install nginx-light")
    folder = Path(tempfile.mkdtemp(prefix="pbench-nginx-"))
    folder.chmod(0o755)  # nginx's workers run as an unprivileged user when started as root
    (folder / "www").mkdir()
    (folder / "tmp").mkdir()
    (folder / "www" / "small.txt").write_bytes(b"x" * 45)
    (folder / "www" / "big.bin").write_bytes(b"y" * 65536)
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=port))
    subprocess.run([binary, "-c", str(conf), "-p", str(folder)], check=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([binary, "-c", str(conf), "-p", str(folder), "-s", "stop"], check=False)
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)


def pbench(args: Sequence[str]) -> dict[str, Any]:
    """One pbench invocation in this process; the exported JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            status = run_cli([*args, "--style", "none", "--export-json", str(out)])
        if status != 0:
            raise SystemExit(f"pbench {' '.join(args)} exited {status}:\n{quiet.getvalue()}")
        data: dict[str, Any] = json.loads(out.read_text())
        return data


def verdict(data: dict[str, Any]) -> tuple[str, float, int]:
    (comparison,) = data["comparisons"]
    return comparison["verdict"], comparison["ratio_median"], comparison["n_candidate"]


def series(label: str, args: Sequence[str], trials: int, expected: str) -> bool:
    tally: Counter[str] = Counter()
    ratios: list[float] = []
    slices: list[int] = []
    started = time.monotonic()
    for i in range(trials):
        said, ratio, n = verdict(pbench([*args, "--seed", str(1000 + i)]))
        tally[said] += 1
        ratios.append(ratio)
        slices.append(n)
        print(f"   {label} trial {i + 1:2}: {said:12} ratio {ratio:.4f}  ({n} slices)", flush=True)
    if expected == "none":
        wrong = tally["faster"] + tally["slower"]
        ok = wrong <= max(1, trials // 20)
        what = f"{wrong} faster/slower of {trials} (target: at most {max(1, trials // 20)})"
    else:
        hits = tally[expected]
        ok = hits >= trials - max(1, trials // 20)
        what = f"{hits} {expected} of {trials} (target: at least {trials - max(1, trials // 20)})"
    ratios.sort()
    print(
        f"== {label}: {what}; verdicts {dict(tally)}; median ratio {ratios[len(ratios) // 2]:.4f}"
        f" (range {ratios[0]:.4f} … {ratios[-1]:.4f}); slices per side {min(slices)}-"
        f"{max(slices)}; {time.monotonic() - started:.0f} s  {'PASS' if ok else 'FAIL'}",
        flush=True,
    )
    return ok


def http_trials(trials: int) -> list[bool]:
    with nginx() as base:
        small, big = f"{base}/small.txt", f"{base}/big.bin"
        pbench(["http", "-d", "1s", small])  # warm the server and the page cache
        results = [
            series("HTTP A/A", ["http", "-n", "A", "-n", "B", small, small], trials, "none"),
            series(
                "HTTP A/B",
                ["http", "-n", "small", "-n", "big", "--reference", "small", small, big],
                trials,
                "slower",
            ),
        ]
        # Separate runs of the same URL compared by `pbench compare`: one file per side
        # against three per side.
        print("== separate runs: scripts/compare_trials.py --url ... --runs 12", flush=True)
        script = ROOT / "scripts" / "compare_trials.py"
        done = subprocess.run([sys.executable, str(script), "--url", small, "--runs", "12"])
        return [*results, done.returncode == 0]


def command_trials(trials: int) -> list[bool]:
    """``pbench run -j 2 -d 2s``: two copies of each command at once, in slices."""
    load = ["run", "-N", "-j", "2", "-d", "2s"]
    return [
        series("command -j A/A", [*load, "-n", "A", "-n", "B", "sleep 0.01", "sleep 0.01"],
               trials, "none"),
        series("command -j A/B", [*load, "-n", "fast", "-n", "slow", "--reference", "fast",
                                  "sleep 0.01", "sleep 0.011"], trials, "slower"),
    ]  # fmt: skip


def calibrate(dsn: str) -> tuple[str, float]:
    """A query about 10% slower than SELECT 1 on this server, and its measured ratio.

    The ratio moves with the machine's state (a loopback round trip takes 14 µs or
    100 µs depending on it, the extra server work does not), so each candidate is
    measured three times at the trials' own settings and judged on the median ratio.
    """
    n, ratio = 8, 1.0
    query = ""
    for _ in range(10):
        query = f"SELECT sum(g) FROM generate_series(1, {n}) g"
        ratios = sorted(
            verdict(pbench(["sql", "--db", dsn, "--reference", "SELECT 1", "--seed", str(k),
                            "SELECT 1", query]))[1]
            for k in range(3)
        )  # fmt: skip
        ratio = ratios[1]
        print(f"   calibration: n={n}: ratios {', '.join(f'{r:.3f}' for r in ratios)}", flush=True)
        if 1.08 <= ratio <= 1.13:
            return query, ratio
        step = 0.10 / max(ratio - 1.0, 0.005)
        n = max(1, round(n * min(max(step, 0.25), 4.0)))
    return query, ratio


def sql_trials(trials: int) -> list[bool]:
    from pgserver import PostgresServer

    with PostgresServer.start() as server:
        dsn = server.dsn()
        query, ratio = calibrate(dsn)
        print(f"== SQL A/B workload: {query!r}, measured {ratio:.3f}x SELECT 1", flush=True)
        return [
            series("SQL A/A", ["sql", "--db", dsn, "-n", "A", "-n", "B", "SELECT 1", "SELECT 1"],
                   trials, "none"),
            series("SQL A/B", ["sql", "--db", dsn, "-n", "one", "-n", "slower",
                               "--reference", "one", "SELECT 1", query], trials, "slower"),
        ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--only", choices=["http", "sql", "command"], default=None)
    args = parser.parse_args()
    results: list[bool] = []
    if args.only in (None, "http"):
        results += http_trials(args.trials)
    if args.only in (None, "command"):
        results += command_trials(args.trials)
    if args.only in (None, "sql"):
        results += sql_trials(args.trials)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
