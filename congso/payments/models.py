from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.core.models import TimeStampedModel
from congso.payments.constants import (
    CollectWhen,
    FeeRequestStatus,
    LineOutcome,
    LineResolution,
    PaymentSource,
)


class CollectingAccount(models.Model):
    """The bank account into which a unit collects fees (tài khoản thu phí, lệ phí), shown on every VietQR
    of the unit's dossiers. A commune without one uses its province's."""

    unit = models.OneToOneField(
        "geo.AdministrativeUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="collecting_account",
    )
    bank_bin = models.CharField(_("bank BIN"), max_length=6, help_text=_("Six digits, from NAPAS's list."))
    bank_name = models.CharField(_("bank name"), max_length=120)
    account_number = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account name"), max_length=120)
    is_demo = models.BooleanField(_("demo account"), default=False, help_text=_("Not a real account."))

    class Meta:
        verbose_name = _("collecting account")
        verbose_name_plural = _("collecting accounts")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.bank_bin.isdigit() or len(self.bank_bin) != 6:
            raise ValidationError({"bank_bin": _("The bank BIN has 6 digits.")})
        if not self.account_number.isalnum() or not self.account_number.isascii():
            raise ValidationError({"account_number": _("The account number has only letters and digits.")})


class FeeRequest(TimeStampedModel):
    """A request to pay a dossier's fees (yêu cầu thực hiện nghĩa vụ tài chính), with its lines."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="fee_requests"
    )
    reference = models.CharField(_("payment reference"), max_length=25, unique=True)  # mã thanh toán
    status = models.CharField(
        _("status"), max_length=16, choices=FeeRequestStatus.choices, default=FeeRequestStatus.PENDING
    )
    collect_when = models.CharField(
        _("collected"), max_length=8, choices=CollectWhen.choices, default=CollectWhen.AFTER
    )
    amount_vnd = models.PositiveBigIntegerField(_("amount due (VND)"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    # The account as it was when the request was issued: a later change must not re-route a printed QR.
    bank_bin = models.CharField(_("bank BIN"), max_length=6)
    bank_name = models.CharField(_("bank name"), max_length=120)
    account_number = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account name"), max_length=120)
    # An online payment started at a gateway, asked about again if its callback never comes.
    gateway = models.CharField(_("gateway"), max_length=40, blank=True)
    gateway_txn_id = models.CharField(_("gateway transaction"), max_length=80, blank=True)
    gateway_started_at = models.DateTimeField(_("gateway payment started at"), null=True, blank=True)
    gateway_checked_at = models.DateTimeField(_("gateway last asked at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_source = models.CharField(
        _("paid through"), max_length=16, choices=PaymentSource.choices, blank=True
    )
    # Biên lai điện tử: numbered per collecting unit and year.
    receipt_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("receipt issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_year = models.PositiveSmallIntegerField(_("receipt year"), null=True, blank=True)
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True)
    verify_key = models.CharField(_("verification key"), max_length=24, unique=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("fee request")
        verbose_name_plural = _("fee requests")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status__in=["pending", "failed"]),
                name="payments_one_open_request_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["receipt_unit", "receipt_year", "receipt_number"],
                name="payments_receipt_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="payments_open_expiry"),
            models.Index(fields=["status", "gateway_started_at"], name="payments_gateway_recheck"),
            models.Index(fields=["issued_at"], name="payments_issued_at"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def receipt_label(self) -> str:
        if self.receipt_number is None:
            return ""
        return f"{self.receipt_number:06d}/{self.receipt_year}"

    @property
    def is_open(self) -> bool:
        return self.status in (FeeRequestStatus.PENDING, FeeRequestStatus.FAILED)


class FeeLine(models.Model):
    """One line of a request: a fee item of the procedure version, possibly waived or reduced with a reason
    (miễn, giảm theo đối tượng)."""

    request = models.ForeignKey(
        FeeRequest, verbose_name=_("fee request"), on_delete=models.CASCADE, related_name="lines"
    )
    fee_item = models.ForeignKey(
        "catalog.FeeItem",
        verbose_name=_("fee item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=255)
    listed_amount_vnd = models.PositiveBigIntegerField(_("listed amount (VND)"), null=True, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount charged (VND)"))
    adjustment_reason = models.CharField(_("reason for waiver or reduction"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        ordering = ["request", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """Money received for a request, from one bank or gateway transaction (unique per source)."""

    request = models.ForeignKey(
        FeeRequest, verbose_name=_("fee request"), on_delete=models.PROTECT, related_name="payments"
    )
    source = models.CharField(_("source"), max_length=16, choices=PaymentSource.choices)
    transaction_id = models.CharField(_("transaction id"), max_length=100)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_at = models.DateTimeField(_("paid at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["source", "transaction_id"], name="payments_transaction_once")
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.amount_vnd}"


class StatementImport(TimeStampedModel):
    """One uploaded bank statement: previewed first, applied once."""

    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")

    def __str__(self) -> str:
        return self.filename


class StatementLine(models.Model):
    statement = models.ForeignKey(
        StatementImport, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    row = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"), null=True, blank=True)
    amount_vnd = models.BigIntegerField(_("amount (VND)"))
    description = models.CharField(_("description"), max_length=500)
    transaction_id = models.CharField(_("bank transaction id"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=16, choices=LineOutcome.choices)
    request = models.ForeignKey(
        FeeRequest,
        verbose_name=_("fee request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    references = models.CharField(_("references found"), max_length=255, blank=True)
    resolution = models.CharField(_("resolution"), max_length=16, choices=LineResolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.CharField(_("resolution note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "row"]
        indexes = [models.Index(fields=["transaction_id"], name="payments_line_txn")]

    def __str__(self) -> str:
        return f"{self.transaction_id}"


class GatewayCallback(models.Model):
    """Every accepted callback, once: a replay of the same transaction is answered and ignored."""

    gateway = models.CharField(_("gateway"), max_length=40)
    transaction_id = models.CharField(_("transaction id"), max_length=100)
    # A transaction may be reported failed and later paid: each state is taken once.
    state = models.CharField(_("reported state"), max_length=16, default="paid")
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"))
    payload = models.JSONField(_("payload"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("gateway callback")
        verbose_name_plural = _("gateway callbacks")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "transaction_id", "state"], name="payments_callback_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.transaction_id}"


class ReceiptSequence(models.Model):
    """The last receipt number of a unit in a year, incremented under a row lock."""

    unit = models.ForeignKey("geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="payments_receipt_seq_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"
