"""A throw-away PostgreSQL cluster in a temporary folder (initdb + pg_ctl as the ``postgres`` user), so that
restarting "the database" never touches the system PostgreSQL others are using."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _bin() -> Path | None:
    for candidate in BIN_CANDIDATES:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


class Cluster:
    def __init__(self, port: int):
        self.port = port
        self.bin = _bin()
        self.dir = Path(tempfile.mkdtemp(prefix="congso-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    @staticmethod
    def available() -> str | None:
        """None when a cluster can be made here, else why not."""
        if _bin() is None:
            return "no initdb/pg_ctl under /usr/lib/postgresql"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "running as root without runuser"
        return None

    def _run(self, *args, check=True):
        command = [str(a) for a in args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def init(self) -> "Cluster":
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def crash_restart(self) -> None:
        """``immediate`` shutdown (no checkpoint: like a crash or a kill -9 of the postmaster), then start:
        PostgreSQL replays its WAL."""
        self.stop("immediate")
        self.start()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def createdb(self, name: str) -> None:
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
