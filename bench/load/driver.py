"""A small threaded HTTP load driver on http.client (no dependency): closed loop, one connection per request
(gunicorn's sync workers close after each response, as behind nginx)."""

import http.client
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    expect: tuple[int, ...] = (200,)


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float]  # ms, successful or not
    errors: int
    statuses: dict[int, int]
    threads: int
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "requests": self.count,
            "seconds": round(self.seconds, 2),
            "rate": round(self.rate, 1),
            "p50": round(self.p(0.50), 1),
            "p95": round(self.p(0.95), 1),
            "p99": round(self.p(0.99), 1),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "threads": self.threads,
            "note": self.note,
        }


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def send(host: str, port: int, request: Request, timeout: float = 60) -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def run(name, make_request, *, port: int, threads: int, seconds: float, host="127.0.0.1", requests=None):
    """Call ``make_request(i) -> Request`` from ``threads`` threads for ``seconds`` (or until ``requests``
    are done) and time each answer."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, statuses, counter, errors = [], {}, [0], [0]

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if requests is not None and counter[0] >= requests:
                    return
                counter[0] += 1
                index = counter[0]
            request = make_request(index)
            started = time.perf_counter()
            try:
                status, _body, _headers = send(host, port, request)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                errors[0] += status not in request.expect

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return Result(name, time.perf_counter() - started, latencies, errors[0], statuses, threads)
