from django import template

from congso.core.templatetags.congso import number_vi

register = template.Library()


@register.filter
def grouped(amount) -> str:
    """40000 → "40.000": Vietnamese groups thousands with dots (Django's vi format does not group)."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".")


@register.filter
def rate(value) -> str:
    """90.0 → "90", 72.5 → "72,5"; None → "—" (nothing to divide by)."""
    return "—" if value is None else number_vi(str(value))
