from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """8000 → "8.000 đồng"; 0 → "Miễn phí" (Vietnamese writes thousands with dots)."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    if amount == 0:
        return _("Free of charge")
    return _("%(amount)s VND") % {"amount": f"{amount:,}".replace(",", ".")}


@register.filter
def number_vi(value) -> str:
    """1.50 → "1,5": a decimal comma, no useless zeros."""
    if value is None or value == "":
        return ""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


@register.filter
def masked_name(name) -> str:
    """ "Nguyễn Văn An" → "Nguyễn V. A.": enough to recognise one's own, not to identify a stranger."""
    from congso.core.masking import mask_name

    return mask_name(str(name or ""))
