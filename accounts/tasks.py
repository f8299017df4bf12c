from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], from_email: str | None = None) -> None:
    EmailMessage(subject=subject, body=body, to=to, from_email=from_email).send()
