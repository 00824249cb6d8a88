"""Enqueue the welcome e-mail of the first user and wait until the running task worker has sent it.

Used by CI against `make run`: proves that the worker started beside the web server does its job.
"""

import sys
import time

from congso.accounts.models import User
from congso.accounts.tasks import send_welcome_email

user = User.objects.order_by("pk").first()
result = send_welcome_email.enqueue(user_id=user.pk)
for _ in range(60):
    result.refresh()
    if result.status == "SUCCESSFUL":
        print(f"worker sent the welcome e-mail to {result.return_value}")
        sys.exit(0)
    if result.status == "FAILED":
        sys.exit(f"task failed: {result.errors}")
    time.sleep(0.5)
sys.exit(f"the worker did not run the task (status {result.status})")
