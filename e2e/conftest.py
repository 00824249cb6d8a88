"""Browser tests: a real server (the same `runserver` and worker-free setup as `make run`, on a throw-away
database) driven by Debian's Chromium through Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = os.environ.get("CONGSO_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    """The environment of the test server: its own var/ folder and SQLite database."""
    var_dir = tmp_path_factory.mktemp("var")
    env = {**os.environ, "CONGSO_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CONGSO_DEBUG", None)
    # The walks through the back office sign staff in with a password only; the two-factor rule for staff is
    # tested on its own (congso/accounts).
    env["CONGSO_STAFF_MFA_REQUIRED"] = "0"
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def manage_shell(server_env):
    """Run Python code in ``manage.py shell`` against the test server's database; returns its output."""

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
            env=server_env, cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return result.stdout.strip()

    return run


@pytest.fixture(scope="session")
def server_url(server_env):
    env = server_env
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["demo_load"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310 - local server
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: sudo apt-get install chromium (or make install-system)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that records console errors (a CSP violation is one) and failed requests."""
    # An English-language phone: congso still answers in Vietnamese until the visitor switches.
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("requestfailed", lambda req: page.problems.append(f"failed: {req.url}"))
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
