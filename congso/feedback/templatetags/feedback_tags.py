from django import template

from congso.feedback.constants import RATEABLE
from congso.feedback.forms import FeedbackForm, RatingForm
from congso.feedback.selectors import rating_of_dossier

register = template.Library()


@register.inclusion_tag("feedback/portal/dossier_panel_body.html", takes_context=True)
def dossier_feedback_panel(context, dossier):
    """Rating and feedback on the applicant's dossier page (the CSRF token is carried over by Django)."""
    rating = rating_of_dossier(dossier=dossier)
    return {
        "dossier": dossier,
        "rating": rating,
        "can_rate": rating is None and dossier.status in RATEABLE,
        "rating_form": RatingForm(),
        "feedback_form": FeedbackForm(),
        "feedback": dossier.feedback.order_by("-created_at"),
    }
