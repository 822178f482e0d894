from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User, email_as_typed


class TypedEmailField(forms.EmailField):
    """An e-mail address as the person means it (`core.models.email_as_typed`): full-width
    letters and other compatibility forms are folded before the address is validated, so
    every spelling that sign-in and its throttling treat as one address is accepted."""

    def to_python(self, value):
        return super().to_python(email_as_typed(value) if isinstance(value, str) else value)


class EmailAuthenticationForm(AuthenticationForm):
    username = TypedEmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This email address and password do not match an account. Please try again."
        ),
    }


class EmailPasswordResetForm(PasswordResetForm):
    email = TypedEmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]
        help_texts = {
            "display_name": _("How your name appears to assessors and on your credentials."),
            "preferred_language": _("The language of the interface and of mails to you."),
        }
