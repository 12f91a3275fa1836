#!/usr/bin/env python3
"""pbench http against wrk at equal resources, on nginx serving a small static file.

Setup (issue 13): nginx runs from a temporary prefix on 127.0.0.1 with its DEFAULT
configuration (keepalive_requests 1000: every connection is closed after 1,000
answers) except what a test run must set: ``worker_processes 1``, ``daemon off``, the
pid and error_log paths, ``access_log off``, the listen and root lines, and
``worker_connections 4096`` (the default 512 cannot hold 1,000 client connections:
nginx would log "worker_connections are not enough" and drop connections). nginx is
pinned to CPU 0 (``taskset -c 0``); each client is pinned to CPU 1, so the two
clients get the same single core:

- equal resources: ``wrk -t1 -cN`` against ``pbench http -c N --workers 1`` for N =
  10, 100, 1000 (target: pbench reaches at least 85% of wrk's requests/s), and N = 1
  (target: pbench's median latency within 1.3x of wrk's);
- ``wrk -t2`` against ``pbench http --workers 2``, BOTH STILL PINNED TO CPU 1 (two
  threads or processes sharing one core: no target, shown for what a second
  thread or process costs on a full core);
- open loop, pbench alone on CPU 1: ``--rate 20000`` (target: the achieved rate
  within 1% of it; the schedule lag is shown) and ``--rate 1000000``, a rate it
  cannot reach (target: its terminal output and JSON say so, with the achieved rate).
- the live view's cost, pbench alone on CPU 1: ``pbench http -c 10 --workers 1`` in a
  pseudo-terminal with the live view (``--style full``) against the same in the same
  pseudo-terminal without it (``--style basic``), paired runs in alternating order
  (target: the median requests/s with the view within 1% of the median without it),
  and what one frame costs in-process (``scripts/bench_live_frame.py``).

Each closed-loop row is the median of ``--repeats`` paired runs (5), wrk first in
even runs and pbench first in odd ones. CPU time per request: wrk's is its
``ru_utime + ru_stime`` (``os.wait4``) over its requests; pbench's is shown twice,
over the load alone (the CPU it measured around its slices, ``client_cpu`` in its
JSON) and for the whole process (``os.wait4``: interpreter start, imports, warm-up
and report included, worker processes included). The exit status is 1 when a
target is missed.

    python3 scripts/bench_http_vs_wrk.py [--quick] [--duration 5] [--repeats 5]
                                         [--live-only] [--no-live]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        location / {{ }}
    }}
}}
"""
PAGE = b"<html><body>hello from nginx</body></html>\n"  # 43 bytes
SERVER_CPU, CLIENT_CPU = "0", "1"
THROUGHPUT_TARGET = 0.85  # pbench's requests/s over wrk's, equal resources
LATENCY_TARGET = 1.3  # pbench's median latency over wrk's, one connection
RATE_TARGET = 0.01  # open loop: the achieved rate within 1% of the asked one
LIVE_TARGET = 0.01  # the live view: requests/s within 1% of those without it
LIVE_CONNECTIONS = 10
OPEN_RATE, OPEN_CONNECTIONS, UNREACHABLE_RATE = 20_000, 100, 1_000_000


@dataclass(frozen=True)
class Run:
    requests_per_s: float
    p50_s: float
    cpu_us: float  # per request, whole process (wait4)
    load_cpu_us: float | None = None  # pbench: per request, over its load only
    errors: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_nginx(prefix: Path, port: int) -> subprocess.Popen[bytes]:
    prefix.chmod(0o755)  # nginx's worker runs as nobody when started by root
    (prefix / "www").mkdir(mode=0o755)
    (prefix / "www" / "index.html").write_bytes(PAGE)
    (prefix / "logs").mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = ["taskset", "-c", SERVER_CPU, nginx, "-p", str(prefix), "-c", str(conf)]
    process = subprocess.Popen(command)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("nginx did not start; see " + str(prefix / "error.log"))


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[str, float]:
    """Run ``command`` pinned to the client CPU; (its output, its CPU seconds)."""
    process = subprocess.Popen(
        ["taskset", "-c", CLIENT_CPU, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert process.stdout is not None
    out = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        sys.exit(f"{command[0]} failed ({process.returncode}):\n{out[-2000:]}")
    return out, usage.ru_utime + usage.ru_stime


def wrk(url: str, connections: int, threads: int, duration: float) -> Run:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", url]
    out, cpu = measured(command)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = sum(int(n) for n in errors.groups()) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed += int(non2xx.group(1)) if non2xx else 0
    return Run(rps, float(value) * scale, cpu / max(requests, 1) * 1e6, errors=failed)


def pbench_command(url: str, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "pbench", "http", url, *options, "--style", "none",
            "--export-json", str(out)]  # fmt: skip


def pbench_env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parent.parent / "src")
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": src + (os.pathsep + path if path else "")}


def pbench(url: str, connections: int, workers: int, duration: float, out: Path) -> Run:
    options = ["-c", str(connections), "-d", f"{duration:g}s", "--workers", str(workers)]
    _, cpu = measured(pbench_command(url, out, *options, "-w", "100"), pbench_env())
    load = json.loads(out.read_text())["results"][0]["load"]
    requests = max(load["requests"], 1)
    return Run(
        load["throughput"]["requests_per_s"],
        load["latency"]["p50"],
        cpu / (requests + 100) * 1e6,  # the warm-up's 100 requests ran in the process too
        load["client_cpu"]["cpu_s"] / requests * 1e6,
        errors=load["failed"],
    )


def paired(
    url: str, connections: int, threads: int, duration: float, repeats: int, out: Path
) -> tuple[list[Run], list[Run]]:
    wrks: list[Run] = []
    pbenches: list[Run] = []
    for repeat in range(repeats):
        for tool in ("wrk", "pbench") if repeat % 2 == 0 else ("pbench", "wrk"):
            if tool == "wrk":
                wrks.append(wrk(url, connections, threads, duration))
            else:
                pbenches.append(pbench(url, connections, threads, duration, out))
    return wrks, pbenches


def median(runs: list[Run], key: str) -> float:
    return statistics.median(getattr(run, key) for run in runs)


def closed_row(
    connections: int, threads: int, wrks: list[Run], pbenches: list[Run], setup: str
) -> tuple[list[str], bool]:
    w_rps, p_rps = median(wrks, "requests_per_s"), median(pbenches, "requests_per_s")
    w_p50, p_p50 = median(wrks, "p50_s"), median(pbenches, "p50_s")
    w_cpu, p_cpu = median(wrks, "cpu_us"), median(pbenches, "cpu_us")
    p_load = median(pbenches, "load_cpu_us")
    ok = True
    rps_note = lat_note = ""
    if threads == 1 and connections > 1:
        ok = p_rps >= THROUGHPUT_TARGET * w_rps
        rps_note = f"  target >= {THROUGHPUT_TARGET:.2f}: {'met' if ok else 'MISSED'}"
    if connections == 1:
        ok = p_p50 <= LATENCY_TARGET * w_p50
        lat_note = f"  target <= {LATENCY_TARGET:.2f}: {'met' if ok else 'MISSED'}"
    spread = ", ".join(f"{r.requests_per_s / 1e3:.0f}k" for r in wrks)
    p_spread = ", ".join(f"{r.requests_per_s / 1e3:.0f}k" for r in pbenches)
    errors = sum(r.errors for r in wrks), sum(r.errors for r in pbenches)
    lines = [
        f"{connections} connection{'s' if connections > 1 else ''}, {threads} client"
        f" thread{'s' if threads > 1 else ''} each  [{setup}]",
        f"  requests/s        wrk {w_rps:>9,.0f}   pbench {p_rps:>9,.0f}   ratio"
        f" {p_rps / w_rps:5.2f}{rps_note}   (runs: wrk {spread}; pbench {p_spread})",
        f"  median latency    wrk {w_p50 * 1e6:>7.1f}us   pbench {p_p50 * 1e6:>7.1f}us   ratio"
        f" {p_p50 / w_p50:5.2f}{lat_note}",
        f"  CPU per request   wrk {w_cpu:>7.2f}us   pbench {p_cpu:>7.2f}us   ratio"
        f" {p_cpu / w_cpu:5.2f}   (pbench over its load alone: {p_load:.2f}us,"
        f" ratio {p_load / w_cpu:.2f})",
    ]
    if any(errors):
        lines.append(f"  errors            wrk {errors[0]:,}   pbench {errors[1]:,}")
    return lines, ok


def in_pty(command: list[str], env: dict[str, str]) -> tuple[str, float]:
    """Run ``command`` pinned to the client CPU on a pseudo-terminal (stdin, stdout and
    stderr), its output drained as a terminal would; (its output, its CPU seconds)."""
    import pty
    import threading

    master, slave = pty.openpty()
    process = subprocess.Popen(
        ["taskset", "-c", CLIENT_CPU, *command],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the slave side closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    reader.join(10)
    os.close(master)
    out = b"".join(chunks).decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed ({status}):\n{out[-2000:]}")
    return out, usage.ru_utime + usage.ru_stime


def live_row(url: str, duration: float, repeats: int, out: Path) -> tuple[list[str], bool]:
    """``pbench http -c 10`` with the live view against without it, in one pty."""
    options = ["-c", str(LIVE_CONNECTIONS), "-d", f"{duration:g}s", "--workers", "1", "-w", "100"]
    rates: dict[str, list[float]] = {"full": [], "basic": []}
    cpus: dict[str, list[float]] = {"full": [], "basic": []}  # whole process, per request
    frames = []
    for repeat in range(repeats):
        for style in ("full", "basic") if repeat % 2 == 0 else ("basic", "full"):
            command = pbench_command(url, out, *options)
            command[command.index("--style") + 1] = style
            text, cpu = in_pty(command, pbench_env())
            load = json.loads(out.read_text())["results"][0]["load"]
            rates[style].append(load["throughput"]["requests_per_s"])
            cpus[style].append(cpu / (load["requests"] + 100) * 1e6)
            if style == "full":
                frames.append(text.count("\x1b[J"))
    with_view, without = statistics.median(rates["full"]), statistics.median(rates["basic"])
    ratio = with_view / without
    pairs = statistics.median(a / b for a, b in zip(rates["full"], rates["basic"], strict=True))
    met = abs(ratio - 1) <= LIVE_TARGET and min(frames) > 0
    spread = "; ".join(
        f"{style} {', '.join(f'{r / 1e3:.1f}k' for r in runs)}" for style, runs in rates.items()
    )
    frame_script = Path(__file__).resolve().parent / "bench_live_frame.py"
    frame_cost, _ = measured([sys.executable, str(frame_script)], pbench_env())
    return [
        f"pbench -c {LIVE_CONNECTIONS} with live view vs without  [pbench alone on CPU"
        f" {CLIENT_CPU} in a pseudo-terminal, --style full vs --style basic, nginx 1 worker on"
        f" CPU {SERVER_CPU}; {duration:g} s per run; median of {repeats} paired runs]",
        f"  requests/s        with {with_view:>9,.0f}   without {without:>9,.0f}   ratio"
        f" {ratio:6.4f} (median of the pairs' ratios {pairs:6.4f})  target within"
        f" {LIVE_TARGET:.0%}: {'met' if met else 'MISSED'}",
        f"  CPU per request   with {statistics.median(cpus['full']):>7.2f}us   without"
        f" {statistics.median(cpus['basic']):>7.2f}us   (whole process, wait4: the frames"
        " are drawn between slices, outside the time requests/s is over)",
        f"  frames drawn per run with the view: {', '.join(map(str, frames))}   (runs: {spread})",
        *(
            f"  {line}  (scripts/bench_live_frame.py, CPU {CLIENT_CPU})"
            for line in frame_cost.splitlines()
        ),
    ], met


def open_loop(url: str, rate: int, duration: float, out: Path) -> tuple[dict, str]:  # type: ignore[type-arg]
    options = ["--rate", str(rate), "-c", str(OPEN_CONNECTIONS), "-d", f"{duration:g}s"]
    command = pbench_command(url, out, *options)
    command[command.index("--style") + 1] = "basic"  # the terminal text is checked too
    text, _ = measured(command, pbench_env())
    load: dict = json.loads(out.read_text())["results"][0]["load"]  # type: ignore[type-arg]
    return load, text


def open_rows(url: str, duration: float, out: Path, setup: str) -> tuple[list[str], bool]:
    lines: list[str] = []
    load, _ = open_loop(url, OPEN_RATE, duration, out)
    rate = load["rate"]
    met = abs(rate["achieved"] / OPEN_RATE - 1) <= RATE_TARGET
    wait = load["wait"]
    lines += [
        f"open loop --rate {OPEN_RATE:,} -c {OPEN_CONNECTIONS} -d {duration:g}s  [{setup}]",
        f"  achieved {rate['achieved']:,.1f} requests/s ({rate['achieved_share']:.2%} of"
        f" {OPEN_RATE:,}), target within {RATE_TARGET:.0%}: {'met' if met else 'MISSED'}",
        f"  schedule lag (wait to send) p50 {wait['p50'] * 1e6:.1f}us  p99"
        f" {wait['p99'] * 1e6:.1f}us  max {wait['max'] * 1e3:.2f}ms; service p50"
        f" {load['service']['p50'] * 1e6:.1f}us; pbench CPU {load['client_cpu']['cores']:.0%}"
        " of a core",
    ]
    load, text = open_loop(url, UNREACHABLE_RATE, min(duration, 3.0), out)
    rate = load["rate"]
    said = "NOT reached" in text and not rate["reached"]
    lines += [
        f"open loop --rate {UNREACHABLE_RATE:,} -c {OPEN_CONNECTIONS}"
        f" -d {min(duration, 3.0):g}s  [{setup}]",
        f"  achieved {rate['achieved']:,.1f} requests/s ({rate['achieved_share']:.2%});"
        f" said so in the terminal and JSON: {'yes' if said else 'NO'}",
    ]
    lines += [f"    | {line}" for line in text.splitlines() if "Rate:" in line or "Warning" in line]
    return lines, met and said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per run (5)")
    parser.add_argument("--repeats", type=int, default=5, help="paired runs per row (5)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 pair of 2 s each")
    parser.add_argument(
        "--connections", default="1,10,100,1000", help="closed-loop rows (1,10,100,1000)"
    )
    parser.add_argument("--no-two", action="store_true", help="skip the -t2/--workers 2 rows")
    parser.add_argument("--no-open", action="store_true", help="skip the open-loop rows")
    parser.add_argument("--no-live", action="store_true", help="skip the live-view row")
    parser.add_argument(
        "--live-only", action="store_true", help="only the live-view row (with/without)"
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.repeats = 2.0, 1
    if (os.cpu_count() or 1) < 2:
        sys.exit("needs two CPUs: nginx on CPU 0, the clients on CPU 1")
    connections = [int(c) for c in args.connections.split(",")]
    ok = True
    with tempfile.TemporaryDirectory(prefix="pbench-nginx-") as tmp:
        prefix = Path(tmp)
        port = free_port()
        nginx = start_nginx(prefix, port)
        url = f"http://127.0.0.1:{port}/index.html"
        out = prefix / "pbench.json"
        base = (
            f"nginx 1 worker on CPU {SERVER_CPU}, default config; each client on CPU {CLIENT_CPU};"
            f" {args.duration:g} s per run; median of {args.repeats} paired runs"
        )
        try:
            sets = [] if args.live_only else [(1, connections)]
            if not args.no_two and not args.live_only:
                sets.append((2, [c for c in connections if c > 1]))
            for threads, conns in sets:
                for n in conns:
                    shared = "" if threads == 1 else f" ({threads} threads/processes on one core)"
                    setup = (
                        f"wrk -t{threads} -c{n} vs pbench --workers {threads} -c {n}{shared};"
                        f" {base}"
                    )
                    wrks, pbenches = paired(url, n, threads, args.duration, args.repeats, out)
                    lines, met = closed_row(n, threads, wrks, pbenches, setup)
                    ok &= met
                    print("\n".join(lines), flush=True)
            if not args.no_live:
                lines, met = live_row(url, args.duration, args.repeats, out)
                ok &= met
                print("\n".join(lines), flush=True)
            if not args.no_open and not args.live_only:
                setup = f"pbench alone on CPU {CLIENT_CPU}, nginx 1 worker on CPU {SERVER_CPU}"
                lines, met = open_rows(url, 3.0 if args.quick else 10.0, out, setup)
                ok &= met
                print("\n".join(lines), flush=True)
        finally:
            nginx.terminate()
            nginx.wait(10)
    print()
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
