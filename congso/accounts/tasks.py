from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from congso.accounts.models import User


@task()
def send_welcome_email(*, user_id: int) -> str:
    """Welcome a new account. Thin: load by id, render, send."""
    user = User.objects.get(pk=user_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user}
        subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/welcome_message.txt", context)
    send_mail(subject, body, None, [user.email])
    return user.email
