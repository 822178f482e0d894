"""The domain's error hierarchy. Services raise these; views turn them into messages."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the domain refuses, with a message fit for the person who made it."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, details: list | None = None):
        self.message = message or self.default_message
        self.details = list(details or [])
        super().__init__(str(self.message))


class PermissionDeniedError(DomainError):
    default_message = _("You are not allowed to do this.")


class WorkflowError(DomainError):
    """A transition that is not possible from the current state, or lost a race."""

    default_message = _("This step is not possible in the application's current state.")


class StaleObjectError(WorkflowError):
    default_message = _(
        "Someone else changed this in the meantime. The page now shows the current state."
    )


class ValidationFailed(DomainError):
    """Input that does not meet the rules; `details` lists (place, problem) messages."""

    default_message = _("The input is not valid.")
