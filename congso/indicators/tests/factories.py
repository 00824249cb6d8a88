"""Builders for indicator tests: a domain, a form and elements of every aggregation type."""

from congso.api.auth import api_token_issue
from congso.api.models import ApiClient
from congso.conftest import make_user, unit
from congso.indicators.models import (
    DataElement,
    Domain,
    FormGrant,
    Indicator,
    Option,
    OptionSet,
    ReportingForm,
)


def make_form(code="F_TEST", period_type="monthly", *, domain="TEST", **extra) -> ReportingForm:
    domain_obj, _ = Domain.objects.get_or_create(code=domain, defaults={"name": "Lĩnh vực thử"})
    return ReportingForm.objects.create(
        code=code, name=f"Biểu {code}", domain=domain_obj, period_type=period_type, **extra
    )


def make_element(code, form, aggregation="sum", **extra) -> DataElement:
    return DataElement.objects.create(
        code=code, name=f"Chỉ tiêu {code}", form=form, aggregation_type=aggregation, **extra
    )


def make_option_set(code="SEX", options=("M", "F")) -> OptionSet:
    option_set = OptionSet.objects.create(code=code, name="Giới tính")
    for option in options:
        Option.objects.create(option_set=option_set, code=option, name=option)
    return option_set


def make_indicator(code, numerator, denominator="1", factor=100, **extra) -> Indicator:
    return Indicator.objects.create(
        code=code,
        name=f"Chỉ số {code}",
        pillar="government",
        numerator=numerator,
        denominator=denominator,
        factor=factor,
        **extra,
    )


def make_client(name="Sở Công Thương", forms=()) -> tuple[ApiClient, str]:
    user = make_user(f"{name.replace(' ', '').lower()}@example.vn")
    client = ApiClient.objects.create(name=name, user=user)
    for form in forms:
        FormGrant.objects.create(client=client, form=form)
    return client, api_token_issue(client=client)


__all__ = ["unit"]
