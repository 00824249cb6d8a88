"""The dossier pages show its fee requests: the applicant pays from there, the office asks from there."""

import pytest
from django.urls import reverse

from congso.payments.tests.factories import issue, processing_dossier

pytestmark = pytest.mark.django_db


def test_the_applicant_pays_from_the_dossier_page(client, citizen, official):
    dossier = processing_dossier(official, applicant_user=citizen)
    office_page = client.get(reverse("dossiers:office_detail", args=[dossier.code]))
    assert office_page.status_code == 302  # signed out
    client.force_login(official)
    body = client.get(reverse("dossiers:office_detail", args=[dossier.code])).content.decode()
    assert reverse("payments:issue", args=[dossier.code]) in body
    fee = issue(dossier, official)
    client.force_login(citizen)
    body = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert reverse("payments:pay", args=[fee.reference]) in body
    assert "Thanh toán bằng VietQR" in body


def test_no_fee_panel_without_fees(client, citizen, official):
    dossier = processing_dossier(official, applicant_user=citizen)
    client.force_login(citizen)
    body = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'id="fees-title"' not in body
