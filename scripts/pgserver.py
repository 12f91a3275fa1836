"""A throw-away PostgreSQL server for tests and scripts (``scripts/`` is on the tests'
import path, see pyproject.toml; scripts run from here import it as a sibling).

``PostgresServer`` runs initdb and pg_ctl into a temporary folder and starts the
server on 127.0.0.1 (a free port) and on a Unix socket in that folder, with
scram-sha-256 password authentication over TCP so that wrong passwords are really
refused. PostgreSQL will not run as root: when we are root, the server runs as the
unprivileged system user ``pbench-pg`` (created with useradd if missing) through
``runuser``. ``stop()`` stops the server and removes the folder.

When PostgreSQL is not installed, :class:`PostgresUnavailable` says how to install
it (``scripts/ensure_postgres.sh``); tests fail on it rather than skip.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "pbench-pg"
SUPERUSER = "postgres"
TEST_USER = "pbench"
TEST_PASSWORD = "s3cret-Pw!with@chars"
TEST_DB = "pbench"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL binaries are missing or the server would not start."""


def find_bindir() -> Path:
    """The folder holding initdb, pg_ctl, postgres and pgbench."""
    candidates: list[Path] = []
    if env := os.environ.get("PBENCH_PG_BINDIR"):
        candidates.append(Path(env))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))

    def version(path: str) -> float:
        try:
            return float(Path(path).parent.name)
        except ValueError:
            return 0.0

    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version)[::-1]
    ]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; "
        "run scripts/ensure_postgres.sh (apt-get install -y postgresql) or set PBENCH_PG_BINDIR"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ensure_service_user() -> None:
    if subprocess.run(["id", "-u", SERVICE_USER], capture_output=True, check=False).returncode == 0:
        return
    out = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        capture_output=True,
        text=True,
        check=False,
    )
    # 9: the user was created meanwhile by another session.
    if out.returncode not in (0, 9):
        raise PostgresUnavailable(f"useradd {SERVICE_USER} failed: {out.stderr.strip()}")


@dataclass
class PostgresServer:
    """One private server; use :meth:`start` and :meth:`stop` (or ``with``)."""

    folder: Path
    port: int
    bindir: Path

    @classmethod
    def start(cls, *, port: int | None = None) -> PostgresServer:
        bindir = find_bindir()
        as_root = os.geteuid() == 0
        if as_root:
            _ensure_service_user()
        folder = Path(tempfile.mkdtemp(prefix="pbench-pg-"))
        server = cls(folder=folder, port=port or free_port(), bindir=bindir)
        atexit.register(server.stop)
        try:
            server._init(as_root)
            server._launch()
            server._create_test_role()
        except BaseException:
            server.stop()
            raise
        return server

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def dsn(self, user: str = TEST_USER, password: str | None = TEST_PASSWORD) -> str:
        """A TCP URL on 127.0.0.1 (password-authenticated)."""
        from urllib.parse import quote

        auth = quote(user, safe="")
        if password is not None:
            auth += ":" + quote(password, safe="")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{TEST_DB}"

    def socket_dsn(self, user: str = SUPERUSER) -> str:
        """A Unix-socket URL (trust authentication) for setup work."""
        return f"postgresql:///{TEST_DB}?host={self.socket_dir}&port={self.port}&user={user}"

    def connect_kwargs(self, user: str = SUPERUSER, dbname: str = TEST_DB) -> dict[str, str]:
        return {"host": self.socket_dir, "port": str(self.port), "user": user, "dbname": dbname}

    # -- life cycle ------------------------------------------------------------

    def _run(self, args: list[str], *, as_root: bool, timeout: float = 60) -> None:
        cmd = ["runuser", "-u", SERVICE_USER, "--", *args] if as_root else args
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if out.returncode != 0:
            output = out.stderr.strip() or out.stdout.strip()
            raise PostgresUnavailable(f"{Path(args[0]).name} failed ({out.returncode}): {output}")

    def _init(self, as_root: bool) -> None:
        self._as_root = as_root
        pwfile = self.folder / "pwfile"
        pwfile.write_text(TEST_PASSWORD + "\n")
        if as_root:
            shutil.chown(self.folder, SERVICE_USER)
            shutil.chown(pwfile, SERVICE_USER)
        self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.folder / "data"),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            as_root=as_root,
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "40",
            "shared_buffers": "32MB",
            "logging_collector": "off",
        }
        with open(self.folder / "data" / "postgresql.conf", "a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _launch(self) -> None:
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            as_root=self._as_root,
            timeout=90,
        )
        self.started = True

    def _create_test_role(self) -> None:
        import psycopg

        with psycopg.connect(**self.connect_kwargs(dbname="postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {TEST_USER} LOGIN PASSWORD '{TEST_PASSWORD}'")
            conn.execute(f"CREATE DATABASE {TEST_DB} OWNER {TEST_USER}")

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self) -> None:
        """Stop the server at once (immediate shutdown), as a crash would."""
        self._run(
            [
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            as_root=self._as_root,
        )

    def restart(self) -> None:
        self._launch()

    def stop(self) -> None:
        if getattr(self, "started", False):
            self.started = False
            with contextlib.suppress(PostgresUnavailable, subprocess.TimeoutExpired):
                self._run(
                    [
                        str(self.bindir / "pg_ctl"),
                        "-D",
                        str(self.folder / "data"),
                        "-m",
                        "fast",
                        "-w",
                        "stop",
                    ],
                    as_root=self._as_root,
                )
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
