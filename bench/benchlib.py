"""Shared helpers for the scripts under bench/ (standard library only).

Every helper here is loopback-only: servers bind 127.0.0.1 on a free port, clients talk to
127.0.0.1. Servers are started in their own process group and killed as a group on exit.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import http.cookiejar
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
BLONET = str(VENV_BIN / "blonet")
GUNICORN = str(VENV_BIN / "gunicorn")

DEMO_USER = "analyst"
DEMO_PASSWORD = "blonet-demo-2026"  # the documented demo password (make demo prints it)
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432"
PG_BENCH_DB = "blonet_bench"

# The directory pages and API named in issue 2 (figure 3); also used to warm servers.
DIRECTORY_URLS: list[str] = [
    "/",
    "/directory/",
    "/directory/map.json",
    "/directory/offices/",
    "/directory/offices/?q=kordai",
    "/directory/offices/kz-kordai-blo/",
    "/directory/sites/",
    "/api/v1/directory/offices/",
    "/api/v1/directory/offices/?border=KZ-KG&kind=BLO",
    "/api/v1/directory/sites/",
    "/healthz",
]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    mem = "?"
    for line in free.splitlines():
        if line.startswith("Mem:"):
            mem = line.split()[1]
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "mem_total": mem,
        "cpu": cpu,
        "free_h": free.rstrip(),
        "python": sys.version.split()[0],
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "date": dt.date.today().isoformat(),
    }


def print_machine() -> None:
    m = machine_info()
    print(f"machine: nproc={m['nproc']} mem={m['mem_total']} cpu={m['cpu']!r} python={m['python']}")
    print(f"load average: {m['loadavg']}")
    print(m["free_h"])


# --------------------------------------------------------------------------- processes

_GROUPS: list[subprocess.Popen[bytes]] = []


def _kill_group(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if proc.poll() is not None:
        # The leader is gone; its group may still hold children (e.g. make -> runserver).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _cleanup_all() -> None:
    while _GROUPS:
        _kill_group(_GROUPS.pop())


atexit.register(_cleanup_all)


def _on_signal(signum: int, _frame: Any) -> None:
    _cleanup_all()
    sys.exit(128 + signum)


for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


def set_deadline(seconds: int) -> None:
    """Abort the whole script (and kill what it started) after `seconds`."""

    def _alarm(_signum: int, _frame: Any) -> None:
        log(f"time limit of {seconds}s reached: stopping")
        _cleanup_all()
        os._exit(3)

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_env(var_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a server under test: its own var dir, no stray BLONET_* settings.

    Secure cookies and MFA are off as in `make demo` (plain HTTP on loopback; the demo users
    have no TOTP device).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLONET_")}
    env.update(
        {
            "BLONET_VAR_DIR": str(var_dir),
            "BLONET_SECURE_COOKIES": "0",
            "BLONET_REQUIRE_MFA": "0",
            "BLONET_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "blonet.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if database_url:
        env["BLONET_DATABASE_URL"] = database_url
    return env


def run_blonet(args: Sequence[str], env: dict[str, str], timeout: float = 180) -> str:
    t0 = time.monotonic()
    res = subprocess.run(
        [BLONET, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    if res.returncode != 0:
        raise RuntimeError(f"blonet {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    log(f"blonet {' '.join(args)}: {time.monotonic() - t0:.1f}s")
    return res.stdout


def demo_setup_commands() -> list[list[str]]:
    """The `blonet ...` set-up steps of the Makefile's `demo` recipe (all but runserver).

    Read from the Makefile so the benchmarks follow the demo as it changes; a fixed list is the
    fallback when the recipe cannot be read.
    """
    steps: list[list[str]] = []
    makefile = REPO / "Makefile"
    if makefile.exists():
        in_demo = False
        for line in makefile.read_text(encoding="utf-8").splitlines():
            if re.match(r"^demo\s*:", line):
                in_demo = True
                continue
            if in_demo and not line.startswith("\t"):
                if line.strip():
                    break
                continue
            if in_demo:
                m = re.search(r"\$\(BIN\)/blonet\s+(.*)$", line)
                if m and not m.group(1).startswith("runserver"):
                    steps.append(m.group(1).split())
    if not steps:
        steps = [
            ["migrate", "--no-input", "-v", "0"],
            ["directory_load"],
            ["demo_setup"],
            ["collectstatic", "--no-input", "-v", "0"],
        ]
    return steps


def prepare_database(env: dict[str, str], *, static: bool = True) -> None:
    """The demo's set-up steps (migrate, directory_load, demo users, collectstatic) in env."""
    Path(env["BLONET_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    for step in demo_setup_commands():
        if step[0] == "collectstatic" and not static:
            continue
        run_blonet(step, env)


def recreate_pg_database(name: str = PG_BENCH_DB) -> str:
    """Drop and create the bench database (it belongs to the benchmarks only)."""
    common = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
    subprocess.run(["dropdb", *common, "--if-exists", "--force", name], check=True, timeout=60)
    subprocess.run(["createdb", *common, name], check=True, timeout=60)
    return f"{PG_ADMIN_URL}/{name}"


@contextlib.contextmanager
def temp_var_dir(prefix: str, keep: bool = False) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        if keep:
            log(f"kept {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


class Server:
    """A server process in its own process group, logging to a file, killed as a group."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], port: int, logfile: Path):
        self.argv = list(argv)
        self.env = env
        self.port = port
        self.logfile = logfile
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        fh = self.logfile.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=REPO,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        fh.close()
        _GROUPS.append(self.proc)
        wait_healthy(self.base, timeout=timeout, proc=self.proc, logfile=self.logfile)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            _kill_group(self.proc)
            with contextlib.suppress(ValueError):
                _GROUPS.remove(self.proc)
            self.proc = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def gunicorn_server(env: dict[str, str], port: int, logfile: Path, workers: int = 2) -> Server:
    argv = [GUNICORN, "blonet.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    return Server(argv, env, port, logfile)


def runserver_server(env: dict[str, str], port: int, logfile: Path) -> Server:
    return Server([BLONET, "runserver", f"127.0.0.1:{port}", "--noreload"], env, port, logfile)


def wait_healthy(
    base: str,
    *,
    timeout: float,
    proc: subprocess.Popen[bytes] | None = None,
    logfile: Path | None = None,
) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            tail = logfile.read_text(errors="replace")[-3000:] if logfile else ""
            raise RuntimeError(f"server exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base}/healthz not 200 within {timeout}s")


# --------------------------------------------------------------------------- HTTP client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """A cookie-keeping HTTP client; one new TCP connection per request (as gunicorn sync)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.token: str | None = None

    def cookie(self, name: str) -> str | None:
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def request(
        self,
        path: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        token: bool = False,
    ) -> tuple[int, bytes, float]:
        """(status, body, seconds) — seconds from sending to the last byte of the body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=dict(headers or {}))
        if token and self.token:
            req.add_header("Authorization", f"Token {self.token}")
        t0 = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as r:
                payload = r.read()
                status = r.status
        except urllib.error.HTTPError as e:  # 3xx (no redirects followed), 4xx, 5xx
            payload = e.read()
            status = e.code
        return status, payload, time.perf_counter() - t0

    def login(self, username: str = DEMO_USER, password: str = DEMO_PASSWORD) -> None:
        status, page, _ = self.request("/accounts/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not m:
            raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
        status, page, _ = self.request(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": m.group(1).decode(),
                "login": username,
                "password": password,
            },
            headers={"Referer": self.base + "/accounts/login/"},
        )
        if status != 302 or not self.cookie("sessionid"):
            raise RuntimeError(f"login as {username} failed: HTTP {status}")
        status, _, _ = self.request("/")
        if status != 200:
            raise RuntimeError(f"home page after login: HTTP {status}")


def create_token(env: dict[str, str], username: str = DEMO_USER) -> str:
    out = run_blonet(["drf_create_token", username], env)
    m = re.search(r"\b([0-9a-f]{40})\b", out)
    if not m:
        raise RuntimeError(f"no token in drf_create_token output: {out!r}")
    return m.group(1)


def warm(client: Client, urls: Sequence[str], total: int = 50) -> None:
    for i in range(total):
        path = urls[i % len(urls)]
        status, _, _ = client.request(path, token=path.startswith("/api/"))
        if status != 200:
            raise RuntimeError(f"warm-up: {path} answered HTTP {status}")


# --------------------------------------------------------------------------- statistics


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def dump_json(path: Path | None, payload: Any) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log(f"wrote {path}")
