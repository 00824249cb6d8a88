import re

import pytest
from django.urls import reverse

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.conftest import make_user, unit
from congso.core.tests.test_qr import decode_svg
from congso.payments.services import vietqr_payload
from congso.payments.tests.factories import OTHER_UNIT, issue, processing_dossier
from congso.payments.vietqr import parse_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee(official, citizen):
    return issue(processing_dossier(official, applicant_user=citizen), official)


def svg_of(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def test_the_applicant_sees_a_qr_that_decodes_to_the_exact_payload(client, citizen, fee):
    client.force_login(citizen)
    response = client.get(f"/thanh-toan/{fee.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (fee.reference, fee.account_number, fee.account_name, fee.bank_name, "58.000"):
        assert text in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    [code] = decode_svg(svg_of(html))
    assert code.text == vietqr_payload(fee)
    qr = parse_payload(code.text)
    assert (qr.amount_vnd, qr.purpose, qr.account_number) == (58000, fee.reference, fee.account_number)


def test_nobody_else_sees_the_payment_page(client, citizen, fee):
    other_citizen = make_user("citizen.b@example.vn")
    other_official = make_user("other@example.vn")
    role_grant(user=other_official, role=StaffRole.ONE_STOP_OFFICER, unit=unit(OTHER_UNIT))
    url = f"/thanh-toan/{fee.reference}/"
    for user in (other_citizen, other_official):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(f"/thanh-toan/{fee.reference}/bien-lai.pdf").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_the_office_sees_it_and_records_cash(client, official, leader, fee):
    client.force_login(leader)  # the province's leader covers the commune
    assert client.get(f"/thanh-toan/{fee.reference}/").status_code == 200
    client.force_login(official)
    response = client.post(f"/thanh-toan/{fee.reference}/thu-tai-quay/")
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.status == "paid"
    pdf = client.get(f"/thanh-toan/{fee.reference}/bien-lai.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from congso.audit.models import PersonalDataAccess

    assert PersonalDataAccess.objects.filter(viewer=official, what="fee_receipt").count() == 1
    verify = client.get(f"/thanh-toan/bien-lai/xac-minh/{fee.verify_key}/")
    assert verify.status_code == 200 and fee.receipt_label in verify.content.decode()
    assert client.get("/thanh-toan/bien-lai/xac-minh/khong-co/").status_code == 404
    client.post(f"/thanh-toan/{fee.reference}/hoan-tien/", {"reason": ""})
    fee.refresh_from_db()
    assert fee.status == "paid"
    client.post(f"/thanh-toan/{fee.reference}/hoan-tien/", {"reason": "Nộp nhầm hồ sơ"})
    fee.refresh_from_db()
    assert fee.status == "refunded" and "Nộp nhầm hồ sơ" in fee.note


def test_citizen_cannot_open_office_pages(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("payments:office_list")).status_code == 403
    assert client.get(reverse("payments:statements")).status_code == 403


def test_office_list_is_scoped_and_paginated_with_constant_queries(
    client, official, django_assert_max_num_queries
):
    other = make_user("other@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit(OTHER_UNIT))
    theirs = issue(processing_dossier(other, unit_code=OTHER_UNIT), other)
    client.force_login(official)
    response = client.get(reverse("payments:office_list"))
    assert (
        "Không có yêu cầu" in response.content.decode() or theirs.reference not in response.content.decode()
    )
    counts = []
    for n in (2, 30):
        while len(counts) < n:
            counts.append(issue(processing_dossier(official), official))
        with django_assert_max_num_queries(12) as captured:
            response = client.get(reverse("payments:office_list"))
        assert response.status_code == 200
        html = response.content.decode()
        assert theirs.reference not in html
        assert counts[-1].reference in html
        if n == 2:
            small = len(captured.captured_queries)
        else:
            assert len(captured.captured_queries) == small


def test_issue_page_proposes_the_lines_and_sends_the_request(client, official):
    dossier = processing_dossier(official)
    from congso.payments.tests.factories import make_account

    make_account()
    client.force_login(official)
    url = reverse("payments:issue", args=[dossier.code])
    page = client.get(url).content.decode()
    assert "Lệ phí cấp bản sao" in page and "Phí dịch vụ bưu chính" not in page
    assert "Miễn cho hộ nghèo" in page  # the published exemptions, for the official to apply
    refused = client.post(
        url, {"amount_0": "0", "reason_0": "", "amount_1": "50000", "collect_when": "after"}
    )
    assert refused.status_code == 200 and not dossier.fee_requests.exists()
    response = client.post(
        url, {"amount_0": "0", "reason_0": "Hộ nghèo", "amount_1": "50.000", "collect_when": "after"}
    )
    fee = dossier.fee_requests.get()
    assert response.status_code == 302 and response["Location"] == f"/thanh-toan/{fee.reference}/"
    assert fee.amount_vnd == 50000
    other = make_user("other@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit(OTHER_UNIT))
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_statement_pages_refuse_bad_files_and_resolve_lines(client, official, fee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.payments.models import StatementImport

    client.force_login(official)
    url = reverse("payments:statements")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = client.post(url, {"file": bad, "unit": unit("32002").pk}, follow=True)
    assert "Không tìm thấy dòng tiêu đề" in response.content.decode()
    assert not StatementImport.objects.exists()
    content = "Ngày,Số tiền,Nội dung,Mã giao dịch\n26/11/2026,1000,chuyen tien,FT9\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", content), "unit": unit("32002").pk})
    statement_url = response["Location"]
    client.post(statement_url)
    page = client.get(reverse("payments:to_resolve")).content.decode()
    assert "chuyen tien" in page
    line = StatementImport.objects.get().lines.get()
    client.post(reverse("payments:resolve", args=[line.pk]), {"action": "accept", "reference": fee.reference})
    line.refresh_from_db()
    assert line.resolution == "assigned" and line.request_id == fee.pk
    assert "Không có dòng nào cần xử lý" in client.get(reverse("payments:to_resolve")).content.decode()
    other = make_user("other@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit(OTHER_UNIT))
    client.force_login(other)
    assert client.get(statement_url).status_code == 404
    assert client.post(reverse("payments:resolve", args=[line.pk]), {"action": "dismiss"}).status_code == 404


def test_the_api_documents_the_callback(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/payments/callbacks/{name}" in response.json()["paths"]
