"""Who is signing in, as sign-in throttling (django-axes) counts them.

Axes counts failures per account and client address. The account is the address as typed,
so each spelling of one address (`Tomas@…`, `tomas@…`, ` tomas@… `, full-width letters)
would otherwise get its own count. Every spelling is reduced to `core.models.email_key`,
the same key sign-in itself matches accounts by, so all spellings that can sign in to one
account share one count. The client address comes from `core.client_ip`.
"""

from django.conf import settings

from .models import email_key


def username_key(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the typed e-mail address reduced to its sign-in key."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "data", request.POST).get(field) if request else None
    return email_key(typed if isinstance(typed, str) else "")
