"""Catalogue search benchmark: latency of the search over every loaded procedure.

    .venv/bin/python bench/catalog_search.py            # a throw-away SQLite database in a temp folder
    DATABASE_URL=postgres://… .venv/bin/python bench/catalog_search.py --keep-db

Loads the real procedures (data/procedures), then times: building the in-memory index, the search itself
(p50/p95/p99 over real queries: accents, no accents, i/y variants, typos), a whole HTTP request of the
search page, and, as a yardstick, the naive database search (`search_name LIKE %…%`) on the same queries.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "khai sinh", "dang ky khai sinh", "Đăng ký khai sinh", "đăng kí khai sinh", "khai snh", "ket hon",
    "đăng ký kết hôn", "khai tu", "chung thuc ban sao", "chứng thực chữ kí", "thuong tru", "tam tru",
    "giay phep xay dung", "cap giay chung nhan quyen su dung dat", "ho kinh doanh", "thanh lap doanh nghiep",
    "bao tro xa hoi", "nguoi co cong", "can cuoc", "ho chieu", "dang ky xe", "nghia vu quan su",
    "dan quan tu ve", "thue thu nhap ca nhan", "hai quan", "tran dau", "xac nhan tinh trang hon nhan",
    "giay phep lai xe", "dat dai", "moi truong", "xay dung nha o", "trich luc ho tich", "ly hon",
    "nhan con nuoi", "giam ho", "quoc tich", "ngan hang", "bao hiem", "phong chay chua chay", "thuy san",
]  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(label: str, samples: list[float]) -> str:
    return (
        f"{label:<38} p50 {percentile(samples, 0.5):8.3f} ms   p95 {percentile(samples, 0.95):8.3f} ms   "
        f"p99 {percentile(samples, 0.99):8.3f} ms   (n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query (default 20)")
    parser.add_argument("--keep-db", action="store_true", help="use the configured database as it is")
    args = parser.parse_args()
    if not args.keep_db:
        os.environ["CONGSO_VAR_DIR"] = tempfile.mkdtemp(prefix="congso-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from congso.catalog import search
    from congso.catalog.curated import procedures_load_curated
    from congso.catalog.importers import procedures_load_shared
    from congso.catalog.models import Procedure
    from congso.core.text import fold

    if not args.keep_db:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        procedures_load_shared()
        procedures_load_curated()
    total = Procedure.objects.filter(is_active=True).count()
    print(f"database: {connection.vendor}; procedures: {total}; queries: {len(QUERIES)} x {args.repeat}\n")

    builds = []
    for _ in range(5):
        search._cache.update(stamp=None, index=None)
        start = time.perf_counter()
        search.get_index()
        builds.append((time.perf_counter() - start) * 1000)
    print(f"{'index build (from the database)':<38} median {statistics.median(builds):8.1f} ms")

    index = search.get_index()
    in_memory = []
    with_check = []
    naive = []
    for query in QUERIES:
        in_memory += timed(lambda q=query: index.search(q, filters={"is_active": True}), args.repeat)
        with_check += timed(lambda q=query: search.procedure_search(q), args.repeat)
        words = fold(query).split()

        def like(words=words):
            qs = Procedure.objects.filter(is_active=True)
            for word in words:
                qs = qs.filter(search_name__contains=word)
            return list(qs.values_list("pk", flat=True))

        naive += timed(like, args.repeat)
    client = Client(HTTP_HOST="127.0.0.1")
    status = client.get("/thu-tuc/", {"q": "khai sinh"}).status_code
    if status != 200:
        sys.exit(f"the search page answered {status}")
    pages = []
    for query in QUERIES:
        pages += timed(lambda q=query: client.get("/thu-tuc/", {"q": q}), max(args.repeat // 4, 3))

    print(line("search, index in memory", in_memory))
    print(line("procedure_search (as the views call)", with_check))
    print(line("naive LIKE search (no typos, no rank)", naive))
    print(line("whole /thu-tuc/?q= page", pages))
    ratio = percentile(naive, 0.5) / percentile(with_check, 0.5)
    print(f"\nnaive LIKE / procedure_search (p50): {ratio:.1f}x (naive: no typos, no ranking)")
    top = Procedure.objects.get(pk=search.procedure_search("dang ky khai sinh")[0].pk)
    print(f'"dang ky khai sinh" → {top.code} {top.name}')


if __name__ == "__main__":
    main()
