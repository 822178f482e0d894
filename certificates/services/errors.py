"""The domain error of issuing (a missing issuer, keys or room in the status list)."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class IssuingNotPossible(DomainError):
    default_message = _("The credential cannot be issued yet.")
