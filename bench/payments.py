"""Payments benchmark: bank-statement import against many pending fee requests, and VietQR payload speed.

    .venv/bin/python bench/payments.py                       # a throw-away SQLite database
    .venv/bin/python bench/payments.py --lines 2000 --requests 2000
    .venv/bin/python bench/payments.py --database-url postgres://postgres@127.0.0.1:5432/congso_bench_pay
        (an EMPTY database that the benchmark may fill)

Builds N dossiers of commune 32002 in "fees due", each with a pending fee request, then a CSV statement of
M lines (90 % paying a request in full with the reference spaced or dashed in the description, 4 % partial,
3 % without a reference, 3 % with two references) and measures, as the one-stop officer of the commune:
reading + matching (the preview: lines/s) and applying it (payments, receipts, the dossiers' moves: lines/s);
then a second import of the same file (all duplicates, nothing changes). Last, VietQR payloads built and
parsed per second (pure Python).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database (default: SQLite in a temp folder)"
    )
    parser.add_argument("--requests", type=int, default=10_000, help="pending fee requests (default 10000)")
    parser.add_argument("--lines", type=int, default=10_000, help="statement lines (default 10000)")
    parser.add_argument(
        "--payloads", type=int, default=20_000, help="payloads built and parsed (default 20000)"
    )
    parser.add_argument(
        "--without-moves", action="store_true",
        help="dossiers already 'processing': the apply settles requests without the dossiers' moves",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    env = {
        "CONGSO_VAR_DIR": tempfile.mkdtemp(prefix="congso-bench-"),
        "CONGSO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from congso.accounts.constants import StaffRole
    from congso.accounts.models import User
    from congso.accounts.services import role_grant
    from congso.catalog.models import FeeItem, Procedure, ProcedureVersion
    from congso.dossiers.constants import DossierStatus
    from congso.dossiers.demo import offices_load_demo
    from congso.dossiers.models import Dossier, ReceivingOffice
    from congso.geo.models import AdministrativeUnit
    from congso.geo.services import communes_load_camau, units_load_national
    from congso.payments import reconciliation
    from congso.payments.demo import accounts_load_demo
    from congso.payments.models import FeeRequest, Payment
    from congso.payments.references import reference_display, reference_new
    from congso.payments.vietqr import VietQR, build_payload, parse_payload

    rng = random.Random(args.seed)  # noqa: S311 - data, not secrets
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not AdministrativeUnit.objects.filter(code="32002").exists():
        units_load_national()
        communes_load_camau()
    offices_load_demo()
    accounts_load_demo()
    unit = AdministrativeUnit.objects.get(code="32002")
    office = ReceivingOffice.objects.get(unit=unit)
    officer = User.objects.create_user("bench.payments@congso.local", "bench-password-2026")
    role_grant(user=officer, role=StaffRole.ONE_STOP_OFFICER, unit=unit)
    procedure = Procedure.objects.create(
        code="9.999999", name="Thủ tục thử", field="Hộ tịch", at_commune=True
    )
    version = ProcedureVersion.objects.create(procedure=procedure, number=1)
    FeeItem.objects.create(version=version, name="Lệ phí", amount_vnd=58000)

    started = time.perf_counter()
    now = timezone.now()
    start_status = DossierStatus.PROCESSING if args.without_moves else DossierStatus.FEES_DUE
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(code=f"BENCH-{n:07d}", lookup_key="ABC", version=version, procedure=procedure,
                    office=office, channel=2, status=start_status, applicant_name="Nguyễn Thị Hoa",
                    submitted_at=now, received_at=now, due_at=now + timezone.timedelta(days=5))
            for n in range(args.requests)
        ],
        batch_size=1000,
    )  # fmt: skip
    if dossiers[0].pk is None:
        dossiers = list(Dossier.objects.filter(code__startswith="BENCH-").order_by("code"))
    references: set[str] = set()
    while len(references) < args.requests:
        references.add(reference_new())
    account = unit.collecting_account
    fees = FeeRequest.objects.bulk_create(
        [
            FeeRequest(dossier=d, reference=ref, verify_key=f"k{n:015d}", amount_vnd=58000, issued_by=officer,
                       issued_at=now, expires_at=now + timezone.timedelta(days=30), bank_bin=account.bank_bin,
                       bank_name=account.bank_name, account_number=account.account_number,
                       account_name=account.account_name)
            for n, (d, ref) in enumerate(zip(dossiers, sorted(references), strict=True))
        ],
        batch_size=1000,
    )  # fmt: skip
    print(
        f"{args.requests} dossiers in '{start_status.label}', each with a pending request: "
        f"{time.perf_counter() - started:.1f} s"
    )

    rows = ["Ngày giao dịch;Số tiền ghi có;Nội dung chuyển khoản;Mã giao dịch"]
    kinds = {"full": 0, "partial": 0, "none": 0, "two": 0}
    order = list(range(len(fees)))
    rng.shuffle(order)
    for n in range(args.lines):
        fee = fees[order[n % len(order)]]
        roll = rng.random()
        if roll < 0.90:
            kind, amount = "full", 58000
            text = f"NGUYEN VAN A CK {reference_display(fee.reference)} LE PHI"
            if n % 2:
                text = f"MBVCB.{n}.{fee.reference[:5]}-{fee.reference[5:].lower()}.ho tich"
        elif roll < 0.94:
            kind, amount, text = "partial", 8000, f"{fee.reference} nop mot phan"
        elif roll < 0.97:
            kind, amount, text = "none", 58000, "chuyen tien le phi ho so"
        else:
            other = fees[order[(n + 1) % len(order)]]
            kind, amount, text = "two", 58000, f"{fee.reference} {other.reference}"
        kinds[kind] += 1
        rows.append(f"26/11/2026;{amount:,};{text};FT{n:09d}".replace(",", "."))
    content = "\n".join(rows).encode()
    print(f"statement: {args.lines} lines {kinds}, {len(content) / 1024:.0f} KiB")

    started = time.perf_counter()
    statement = reconciliation.statement_preview(
        actor=officer, unit=unit, filename="bench.csv", content=content
    )
    preview_s = time.perf_counter() - started
    print(f"preview (read + match + store):  {preview_s:6.2f} s  {args.lines / preview_s:8.0f} lines/s  "
          f"{statement.summary}")  # fmt: skip

    started = time.perf_counter()
    reconciliation.statement_apply(statement=statement, actor=officer)
    apply_s = time.perf_counter() - started
    paid = FeeRequest.objects.filter(status="paid").count()
    moved = Dossier.objects.filter(code__startswith="BENCH-", status=DossierStatus.PROCESSING).count()
    print(f"apply (payments, receipts, moves): {apply_s:6.2f} s  {args.lines / apply_s:8.0f} lines/s  "
          f"{paid} paid, {moved} dossiers processing")  # fmt: skip

    payments = Payment.objects.count()
    started = time.perf_counter()
    again = reconciliation.statement_preview(actor=officer, unit=unit, filename="bench.csv", content=content)
    reconciliation.statement_apply(statement=again, actor=officer)
    twice_s = time.perf_counter() - started
    if Payment.objects.count() != payments:
        raise SystemExit("the second import recorded payments")
    print(f"same file again (all duplicates):  {twice_s:6.2f} s  {args.lines / twice_s:8.0f} lines/s  "
          f"{again.summary}")  # fmt: skip

    qrs = [VietQR(bank_bin="970405", account_number=f"{rng.randrange(10**12):012d}",
                  amount_vnd=rng.randrange(1000, 10**7), purpose=ref, bill_number=ref)
           for ref in list(references)[: min(args.payloads, len(references))]]  # fmt: skip
    qrs = (qrs * (args.payloads // len(qrs) + 1))[: args.payloads]
    started = time.perf_counter()
    payloads = [build_payload(qr) for qr in qrs]
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    for payload in payloads:
        parse_payload(payload)
    parse_s = time.perf_counter() - started
    both = args.payloads / (build_s + parse_s)
    print(f"VietQR build: {args.payloads / build_s:8.0f}/s   parse (CRC + fields): "
          f"{args.payloads / parse_s:8.0f}/s   build+parse: {both:8.0f}/s")  # fmt: skip
    print(
        f"ratio apply/preview: {apply_s / preview_s:.1f}x (the apply writes a payment, a receipt number, "
        "an event and a national-portal outbox row per matched line)"
    )


if __name__ == "__main__":
    main()
