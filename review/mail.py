"""Mail to one person, rendered in their preferred language from templates/emails/."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute_url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def send_to(user, template: str, context: dict) -> None:
    """templates/emails/<template>_subject.txt and <template>.txt, in the user's language."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"recipient": user, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
