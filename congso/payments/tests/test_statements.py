import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from congso.core.exceptions import ApplicationError
from congso.dossiers.constants import DossierStatus
from congso.payments import reconciliation
from congso.payments.constants import FeeRequestStatus, LineOutcome, LineResolution
from congso.payments.models import FeeRequest, Payment, StatementLine
from congso.payments.references import reference_display
from congso.payments.statements import parse_amount, statement_read
from congso.payments.tests.factories import issue, processing_dossier

pytestmark = pytest.mark.django_db


def csv_bytes(rows, header="Ngày giao dịch;Số tiền ghi có;Nội dung chuyển khoản;Mã giao dịch") -> bytes:
    lines = ["SAO KÊ TÀI KHOẢN 999932002", "", header]
    lines += [";".join(str(cell) for cell in row) for row in rows]
    return "\n".join(lines).encode("utf-8-sig")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Transaction date", "Amount", "Description", "Bank transaction ID"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def fees(official):
    return [issue(processing_dossier(official), official) for _ in range(5)]


def preview(official, content, filename="saoke.csv"):
    from congso.conftest import unit

    return reconciliation.statement_preview(
        actor=official, unit=unit("32002"), filename=filename, content=content
    )


def outcomes(statement):
    return {line.transaction_id: line.outcome for line in statement.lines.all()}


def test_lines_are_classified_for_a_person_to_review(official, fees):
    a, b, c, d, e = fees
    rows = [
        (
            "26/11/2026",
            "58.000",
            f"NGUYEN VAN A chuyen tien {reference_display(a.reference)} le phi",
            "FT001",
        ),
        ("26/11/2026", "8,000", f"{b.reference.lower()} nop thieu", "FT002"),
        ("26/11/2026", "60000", f"{c.reference[:6]}-{c.reference[6:]} nop du", "FT003"),
        ("26/11/2026", "58000", f"{d.reference} {e.reference}", "FT004"),
        ("26/11/2026", "58000", "chuyen tien le phi ho so", "FT005"),
        ("26/11/2026", "-58000", f"hoan tien {a.reference}", "FT006"),
    ]
    statement = preview(official, csv_bytes(rows))
    assert outcomes(statement) == {
        "FT001": LineOutcome.MATCHED,
        "FT002": LineOutcome.PARTIAL,
        "FT003": LineOutcome.OVERPAID,
        "FT004": LineOutcome.AMBIGUOUS,
        "FT005": LineOutcome.UNMATCHED,
        "FT006": LineOutcome.NOT_CREDIT,
    }
    assert not Payment.objects.exists()  # a preview records nothing
    reconciliation.statement_apply(statement=statement, actor=official)
    a.refresh_from_db()
    assert a.status == FeeRequestStatus.PAID and a.receipt_number
    assert a.dossier.status == DossierStatus.PROCESSING
    assert FeeRequest.objects.filter(status=FeeRequestStatus.PAID).count() == 1
    to_review = StatementLine.objects.filter(
        resolution="", outcome__in=["partial", "overpaid", "ambiguous", "unmatched"]
    )
    assert to_review.count() == 4


def test_importing_the_same_file_twice_changes_nothing(official, fees):
    a = fees[0]
    content = csv_bytes(
        [("26/11/2026", "58000", f"CK {a.reference}", "FT100"), ("26/11/2026", "1000", "khong ro", "FT101")]
    )
    reconciliation.statement_apply(statement=preview(official, content), actor=official)
    state = list(FeeRequest.objects.order_by("pk").values_list("status", "receipt_number"))
    payments = Payment.objects.count()
    again = preview(official, content)
    assert set(outcomes(again).values()) == {LineOutcome.DUPLICATE}
    reconciliation.statement_apply(statement=again, actor=official)
    reconciliation.statement_apply(statement=again, actor=official)  # applying twice as well
    assert list(FeeRequest.objects.order_by("pk").values_list("status", "receipt_number")) == state
    assert Payment.objects.count() == payments == 1


def test_excel_with_english_headers(official, fees):
    a = fees[0]
    statement = preview(
        official,
        xlsx_bytes([("2026-11-26", 58000, f"IBFT {a.reference}", 123456789)]),
        filename="statement.xlsx",
    )
    line = statement.lines.get()
    assert (line.outcome, line.transaction_id, line.request_id) == (LineOutcome.MATCHED, "123456789", a.pk)


def test_partial_then_resolved_by_hand(official, fees):
    a, b = fees[:2]
    statement = preview(
        official,
        csv_bytes(
            [
                ("26/11/2026", "8000", f"{a.reference}", "FT201"),
                ("26/11/2026", "58000", "le phi ho so cua ba Hoa", "FT202"),
            ]
        ),
    )
    reconciliation.statement_apply(statement=statement, actor=official)
    partial = statement.lines.get(transaction_id="FT201")
    unmatched = statement.lines.get(transaction_id="FT202")
    with pytest.raises(ApplicationError):
        reconciliation.statement_line_resolve(line=unmatched, actor=official, action="dismiss")
    reconciliation.statement_line_resolve(
        line=unmatched, actor=official, action="accept", reference=reference_display(b.reference)
    )
    reconciliation.statement_line_resolve(line=partial, actor=official, action="accept")
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == FeeRequestStatus.PAID
    assert a.status == FeeRequestStatus.PENDING  # 8,000 of 58,000 received
    assert a.payments.get().amount_vnd == 8000
    partial.refresh_from_db()
    assert partial.resolution == LineResolution.ASSIGNED
    with pytest.raises(ApplicationError):
        reconciliation.statement_line_resolve(line=partial, actor=official, action="accept")


def test_a_request_of_another_commune_is_not_matched(official, leader):
    from congso.conftest import unit

    theirs = issue(processing_dossier(leader, unit_code="32248"), leader)
    statement = reconciliation.statement_preview(
        actor=official,
        unit=unit("32002"),
        filename="s.csv",
        content=csv_bytes([("26/11/2026", "58000", theirs.reference, "FT300")]),
    )
    assert outcomes(statement) == {"FT300": LineOutcome.UNMATCHED}
    with pytest.raises(PermissionDenied):
        reconciliation.statement_preview(
            actor=official,
            unit=unit("32248"),
            filename="s.csv",
            content=csv_bytes([("26/11/2026", "1", "x", "FT301")]),
        )


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "a.csv"),
        (b"a,b,c\n1,2,3\n", "a.csv"),  # no amount/description header
        (b"\x00\x01\x02binary", "a.csv"),
        (b"PK\x03\x04broken", "a.xlsx"),
        ("Số tiền;Nội dung\nmột trăm;CSABC\n".encode(), "a.csv"),
    ],
)
def test_bad_files_are_refused_clearly(content, filename):
    with pytest.raises(ApplicationError):
        statement_read(filename=filename, content=content)


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("120.000", 120000),
        ("120,000", 120000),
        ("1.234.567,00", 1234567),
        ("120000.00", 120000),
        ("120 000 VND", 120000),
        (120000.0, 120000),
        ("-5.000", -5000),
        ("", 0),
    ],
)
def test_amounts_as_banks_write_them(value, amount):
    assert parse_amount(value) == amount
