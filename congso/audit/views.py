from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from congso.accounts.constants import StaffRole
from congso.accounts.models import User
from congso.accounts.selectors import user_has_role
from congso.audit.selectors import access_viewers, personal_data_accesses

PAGE_SIZE = 50


class AccessFilterForm(forms.Form):
    can_bo = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Official"), empty_label=_("All officials")
    )
    tu_ngay = forms.DateField(
        required=False, label=_("Viewed from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = forms.DateField(required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["can_bo"].queryset = access_viewers(user=user)


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed the personal data of the dossiers of the units the user leads. Unit leaders only."""
    if not user_has_role(user=request.user, role=StaffRole.UNIT_LEADER):
        raise PermissionDenied
    form = AccessFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    accesses = personal_data_accesses(
        user=request.user,
        viewer_id=filters["can_bo"].pk if filters.get("can_bo") else None,
        date_from=filters.get("tu_ngay"),
        date_to=filters.get("den_ngay"),
    )
    page = Paginator(accesses, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/office/access_log.html", context)
