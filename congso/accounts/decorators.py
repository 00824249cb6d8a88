from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def official_required(view):
    """Signed in and holding at least one staff role (or a member of staff): otherwise the sign-in page, or
    403 for a signed-in citizen."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_official:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
