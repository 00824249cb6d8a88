from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congso.accounts.models import CitizenProfile
from congso.accounts.selectors import user_roles


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: who I am, how surely, the roles I hold and where."""
    citizen = CitizenProfile.objects.filter(user=request.user).first()
    roles = list(user_roles(user=request.user))
    return render(request, "accounts/portal/profile.html", {"citizen": citizen, "roles": roles})
