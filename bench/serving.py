"""What the wrk benchmarks share: a fresh database, gunicorn on a free port, wrk's figures."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def recreate_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed: running `apt-get install -y wrk` (Debian's package)", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk is still missing")


def run_wrk(
    wrk: str,
    url: str,
    seconds: int,
    *,
    headers: Sequence[str] = (),
    script: Path | None = None,
    script_args: Sequence[str] = (),
) -> dict[str, float]:
    """Requests/s, p50 and p99 (ms) of `url` under 2 threads and 8 connections; any non-2xx
    answer (a redirect to the login page included) stops the benchmark. A Lua `script`
    (given `script_args`) may choose each request's path."""
    flags = [option for header in headers for option in ("-H", header)]
    if script:
        flags += ["-s", str(script)]
    trailing = ["--", *script_args] if script_args else []
    output = subprocess.run(
        # An admin page takes tens of milliseconds, hundreds while the workers warm up:
        # wrk's 2 s timeout would count a slow start as an error.
        [wrk, "-t2", "-c8", f"-d{seconds}s", "--timeout=10s", "--latency", *flags, url, *trailing],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        sys.exit(f"wrk saw errors for {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for percentile in ("50", "99"):
        value, unit = re.search(
            rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M
        ).groups()
        latency[percentile] = float(value) * UNITS[unit]
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"]}


def _wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


@contextmanager
def gunicorn(
    *, ready_path: str, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve the WSGI application (settings from the environment) with `workers` sync
    workers on a free port of 127.0.0.1; yields the base URL once `ready_path` answers, and
    stops gunicorn however the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cluster_portal.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            f"--chdir={ROOT}",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    try:
        _wait_until_serving(base + ready_path, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
