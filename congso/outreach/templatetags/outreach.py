from django import template

from congso.core.masking import mask_phone

register = template.Library()


@register.filter
def phone_masked(phone: str) -> str:
    return mask_phone(phone) if phone else ""
