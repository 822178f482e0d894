from django import forms
from django.utils.translation import gettext_lazy as _

from core.workflow import plain_input
from frameworks.models import Constellation

from .models import Issuer


class IssuerForm(forms.ModelForm):
    constellations = forms.ModelMultipleChoiceField(
        queryset=Constellation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Constellations this issuer awards"),
    )

    class Meta:
        model = Issuer
        fields = ["name", "url", "email", "country_code", "region", "description", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["constellations"].initial = list(self.instance.constellations.all())

    def clean_country_code(self):
        code = (self.cleaned_data.get("country_code") or "").strip().upper()
        if len(code) != 2 or not code.isalpha() or not code.isascii():
            raise forms.ValidationError(_("Enter a two-letter country code (ISO 3166-1), e.g. FI."))
        return code

    def clean_name(self):
        name = plain_input(self.cleaned_data.get("name"), max_length=200)
        if not name:
            raise forms.ValidationError(_("Enter the issuer's legal name."))
        return name

    def clean_region(self):
        return plain_input(self.cleaned_data.get("region"), max_length=200)

    def clean_description(self):
        return plain_input(self.cleaned_data.get("description"))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page and in the revocation list."),
    )

    def clean_reason(self):
        reason = plain_input(self.cleaned_data.get("reason"), max_length=2000)
        if not reason:
            raise forms.ValidationError(_("A reason is required to revoke a credential."))
        return reason


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste an Open Badges 3.0 credential: its signed JSON or its VC-JWT."),
    )
