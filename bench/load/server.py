"""Start gunicorn with the production configuration (deploy/gunicorn.conf.py) on a free local port."""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict, *, workers: int | None = None, port: int | None = None, quiet=True):
        self.port = port or free_port()
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        if workers:
            self.env["GUNICORN_WORKERS"] = str(workers)
        if quiet:
            self.env["GUNICORN_ACCESSLOG"] = "/dev/null"
            self.env["GUNICORN_LOGLEVEL"] = "warning"
        self.process = None

    def start(self, wait: float = 60) -> "Gunicorn":
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz")

    def worker_pids(self) -> list[int]:
        """The pids of the web workers (children of the master)."""
        try:
            out = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        except OSError:
            return []
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
