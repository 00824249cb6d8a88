from django.utils.functional import SimpleLazyObject

from congso.geo.selectors import portal_province


def portal(request):
    """The province this installation serves, for the header and footer; read only when a page shows it."""
    return {"portal_province": SimpleLazyObject(portal_province)}
