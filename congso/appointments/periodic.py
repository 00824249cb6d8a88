"""Work for appointments that runs on a clock: `manage.py periodic` calls tick() every minute.

Reminders go out the day before each appointment, once per booking (``Booking.reminder_sent_at`` is the
marker), from 07:00 so that nobody gets an SMS at night. When idle, one indexed query.
"""

import datetime

from django.utils import timezone

from congso.appointments.services import reminders_send

REMIND_FROM = datetime.time(7, 0)
REMIND_UNTIL = datetime.time(20, 0)


def tick(now: datetime.datetime | None = None) -> str | None:
    """Do what is due now; return a one-line summary, or None when nothing was done."""
    now = now or timezone.now()
    if not REMIND_FROM <= timezone.localtime(now).time() < REMIND_UNTIL:
        return None
    sent = reminders_send(now=now)
    return f"{sent} appointment reminders" if sent else None
