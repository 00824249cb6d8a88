from django import template

from congso.payments.references import reference_display

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """120000 → "120.000 đ" (Vietnamese thousands separator)."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,} đ".replace(",", ".")


@register.filter
def thousands(amount) -> str:
    """120000 → "120.000"."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")


@register.filter
def spaced_reference(reference: str) -> str:
    return reference_display(reference or "")
