"""Done-when of the issue: a citizen's dossier with a fee shows a VietQR whose decoded payload passes the CRC
and field checks; importing a bank statement that contains its reference marks it paid and issues the
e-receipt."""

import re

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.tests.test_qr import decode_svg
from congso.payments.models import FeeRequest
from congso.payments.receipts import receipt_pdf
from congso.payments.tests.factories import issue, processing_dossier
from congso.payments.vietqr import parse_payload

pytestmark = pytest.mark.django_db


def test_fee_shown_as_vietqr_then_paid_by_statement_import_with_e_receipt(client, citizen, official):
    fee = issue(processing_dossier(official, applicant_user=citizen), official)
    assert fee.dossier.status == "fees_due"

    client.force_login(citizen)
    html = client.get(f"/thanh-toan/{fee.reference}/").content.decode()
    [code] = decode_svg(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    qr = parse_payload(code.text)  # raises on a bad CRC or field
    assert (qr.bank_bin, qr.account_number, qr.amount_vnd, qr.purpose) == (
        fee.bank_bin,
        fee.account_number,
        fee.amount_vnd,
        fee.reference,
    )

    client.force_login(official)
    content = (
        "Ngày;Số tiền;Nội dung;Số tham chiếu\n"
        f"26/11/2026;{fee.amount_vnd:,};NGUYEN VAN A CK {fee.reference[:6]} {fee.reference[6:]};FT26330\n"
    ).encode()
    upload = SimpleUploadedFile("sao-ke.csv", content, content_type="text/csv")
    from congso.conftest import unit

    response = client.post("/thanh-toan/can-bo/sao-ke/", {"file": upload, "unit": unit("32002").pk})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "khớp" in preview.lower() or "matched" in preview.lower()
    fee.refresh_from_db()
    assert fee.status == "pending"  # nothing before applying
    client.post(response["Location"])
    fee.refresh_from_db()
    assert fee.status == "paid" and fee.receipt_label
    fee.dossier.refresh_from_db()
    assert fee.dossier.status == "processing"

    client.force_login(citizen)
    assert "bien-lai.pdf" in client.get(f"/thanh-toan/{fee.reference}/").content.decode()
    pdf = client.get(f"/thanh-toan/{fee.reference}/bien-lai.pdf")
    assert pdf.status_code == 200
    document = pdfium.PdfDocument(pdf.content)
    try:
        text = document[0].get_textpage().get_text_range()
        image = document[0].render(scale=4).to_pil()
    finally:
        document.close()
    assert fee.receipt_label in text and "Năm mươi tám nghìn đồng" in text
    decoded = {c.text for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}
    assert f"/thanh-toan/bien-lai/xac-minh/{fee.verify_key}/" in "".join(decoded)
    assert FeeRequest.objects.get(pk=fee.pk).receipt_number == 1
    assert receipt_pdf(fee)[:4] == b"%PDF"
