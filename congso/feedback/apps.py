from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "congso.feedback"
    verbose_name = _("Citizen evaluation")  # đánh giá, phản ánh, kiến nghị
