"""Rewrite the results section of docs/benchmarks.md (between its markers) from the JSON figures that
``bench.generate``, ``bench.load`` and ``bench.faults`` wrote with ``--json``:

    .venv/bin/python -m bench.load.report var/bench docs/benchmarks.md
"""

import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
TARGETS = {
    # key: (description, test(figures) -> (value text, met or None))
    "lookup_api": "dossier lookup ≥ 60 % of the trivial view's throughput",
    "officer_queue": "officer's queue p95 < 150 ms",
    "ioc_dashboard": "IOC dashboard p95 < 300 ms",
    "outreach_sync": "1,000-visit sync batch < 2 s",
}


def _load(folder: Path, name: str) -> dict | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def machine() -> list[str]:
    def run(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = "?"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    import django
    import gunicorn
    import psycopg

    postgres = run("psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version")
    return [
        f"- CPU: {os.cpu_count()} × {cpu}; memory {memory}; load average at report time "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (the machine is shared with other work)",
        f"- {platform.platform()}; Python {platform.python_version()}; Django {django.__version__}; "
        f"gunicorn {gunicorn.__version__}; psycopg {psycopg.__version__}; PostgreSQL {postgres or '?'}",
    ]


def target_rows(load: dict) -> list[str]:
    results = {r["key"]: r for r in load.get("results", [])}
    rows = []
    for key, description in TARGETS.items():
        result = results.get(key)
        if result is None or "skipped" in result:
            why = result["skipped"] if result else "not run"
            rows.append(f"| {description} | skipped: {why} | — |")
            continue
        if key == "lookup_api":
            base = results["healthz"]["rate"]
            value = f"{result['ratio'] * 100:.0f} % ({result['rate']:.0f} vs {base:.0f} req/s)"
            met = result["ratio"] >= 0.6
        elif key == "outreach_sync":
            value, met = (
                f"p50 {result['p50']:.0f} ms, p99 {result['p99']:.0f} ms ({result['requests']} batches)",
                (result["p99"] < 2000 and result["errors"] == 0),
            )
        else:
            limit = 150 if key == "officer_queue" else 300
            alone = results.get(f"{key}_alone")
            value = f"p95 {result['p95']:.0f} ms with {result['threads']} clients"
            met = result["p95"] < limit and result["errors"] == 0
            if alone:
                value += f"; {alone['p95']:.0f} ms with 1 client"
                met = alone["p95"] < limit and alone["errors"] == 0
        rows.append(f"| {description} | {value} | {'met' if met else '**missed**'} |")
    return rows


def render(folder: Path) -> str:
    generate, load, faults = _load(folder, "generate"), _load(folder, "load"), _load(folder, "faults")
    out = [f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC.", "", "### Machine", ""]
    out += machine()
    out += ["", "### Data (`bench.generate`)", ""]
    if generate:
        d = generate.get("dossiers", {})
        out.append(
            f"- {d.get('dossiers', 0):,} dossiers ({d.get('late', 0):,} finished late) and "
            f"{d.get('events', 0):,} events over {d.get('offices', '?')} offices and "
            f"{d.get('procedures', '?')} procedures: "
            f"{d.get('insert_s', 0):.0f} s ({d.get('dossiers', 0) / max(d.get('insert_s', 1), 1e-9):,.0f} "
            f"dossiers/s), {d.get('total_s', 0):.0f} s with ANALYZE"
        )
        out.append(
            f"- reference data (migrate, units, catalogue, offices): "
            f"{generate['reference']['reference_s']:.0f} s"
        )
        for family in ("households", "datavalues"):
            figures = generate.get(family) or {}
            if "skipped" in figures:
                out.append(f"- {family}: skipped: {figures['skipped']}")
            elif figures:
                count = figures.get(family, 0)
                out.append(f"- {family}: {count:,} in {figures.get('total_s', 0):.0f} s")
        out.append(f"- **total: {generate['total_s']:.0f} s ({generate['total_s'] / 60:.1f} min)**")
        if generate.get("note"):
            out.append(f"- note: {generate['note']}")
    else:
        out.append("(no figures: run `bench.generate --json`)")
    out += ["", "### Load (`bench.load`)", ""]
    if load:
        out.append(
            f"{load['vendor']}, {load['dossiers']:,} dossiers; gunicorn `deploy/gunicorn.conf.py` with "
            f"{load['workers']} workers; {load['threads']} concurrent clients (the mix: twice as many); "
            f"{load['seconds']:g} s per scenario."
        )
        out += [
            "",
            "| scenario | req/s | × /healthz | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in load["results"]:
            if "skipped" in r:
                out.append(f"| {r['name']} | skipped: {r['skipped']} | | | | | |")
            else:
                out.append(
                    f"| {r['name']} | {r['rate']:.1f} | {r['ratio']:.2f} | {r['p50']:.0f} | {r['p95']:.0f} | "
                    f"{r['p99']:.0f} | {r['errors']} |"
                )
        hour = load.get("busiest_hour") or {}
        if hour:
            out += [
                "",
                f"Busiest hour in the data: {hour['submissions']} submissions ({hour['hour']}), about "
                f"{hour['rate']:.2f} requests/s with the mix; the mix was served at "
                f"{next((r['rate'] for r in load['results'] if r.get('key') == 'mixed'), 0):.1f} requests/s "
                f"(× {load.get('mixed_headroom') or 0:,.0f}).",
            ]
        out += [
            "",
            "| published target (2 cores, PostgreSQL, 1,000,000 dossiers) | measured | |",
            "|---|---|---|",
        ]
        out += target_rows(load)
    else:
        out.append("(no figures: run `bench.load --json`)")
    out += ["", "### Faults (`bench.faults`)", ""]
    if faults:
        counts = faults.get("counts", {})
        out.append(
            f"{faults['submissions']} submissions from {faults['threads']} clients under kill -9: "
            f"{counts.get('web_workers_killed', 0)} web workers and "
            f"{counts.get('task_worker_killed', 0)} task workers killed; "
            f"then {faults.get('restart_submissions', 0)} more during {counts.get('database_restarts', 0)} "
            f"PostgreSQL crash-restarts; "
            f"{faults.get('retried_submissions', 0)} submissions needed a retry, "
            f"{faults.get('failed_submissions', 0)} gave up; the sweep re-queued "
            f"{faults.get('drain', {}).get('requeued_by_sweep', 0)} messages (outbox before it: "
            f"{faults.get('drain', {}).get('before_sweep', {})})."
        )
        disk = faults.get("disk_full", {})
        if "skipped" in disk:
            out.append(f"Disk full: skipped: {disk['skipped']}.")
        out += ["", "| check | result | detail |", "|---|---|---|"]
        for c in faults.get("checks", []):
            out.append(f"| {c['check']} | {'PASS' if c['passed'] else '**FAIL**'} | {c['detail']} |")
        out += ["", f"**Faults: {'PASS' if faults.get('passed') else 'FAIL'}**"]
    else:
        out.append("(no figures: run `bench.faults --json`)")
    return "\n".join(out)


def main(argv=None) -> None:
    argv = argv if argv is not None else sys.argv[1:]
    folder = Path(argv[0] if argv else "var/bench")
    report = Path(argv[1] if len(argv) > 1 else "docs/benchmarks.md")
    text = report.read_text(encoding="utf-8")
    if START not in text or END not in text:
        sys.exit(f"{report}: the markers {START} and {END} are missing")
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    report.write_text(f"{before}{START}\n{render(folder)}\n{END}{after}", encoding="utf-8")
    print(f"{report}: results rewritten from {folder}")


if __name__ == "__main__":
    main()
