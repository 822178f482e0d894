from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.roles import Role
from core.workflow import plain_input
from frameworks.models import Constellation

from .models import Issuer


class IssuerForm(forms.ModelForm):
    """An issuer profile, as `user` may change it: the constellations offered are the ones
    they coordinate (others already attached stay attached, untouched); the owners are
    chosen among coordinators; the default flag only by the current default's owner."""

    constellations = forms.ModelMultipleChoiceField(
        queryset=Constellation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Constellations this issuer awards"),
        help_text=_("Only constellations you coordinate are listed."),
    )
    owners = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Owners"),
        required=False,
        help_text=_("Coordinators who may change this issuer profile."),
    )

    class Meta:
        model = Issuer
        fields = ["name", "url", "email", "country_code", "region", "description", "is_default"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["constellations"].queryset = Constellation.objects.filter(
            coordinators=user
        ).order_by("name")
        self.fields["owners"].queryset = User.objects.filter(
            groups__name=Role.COORDINATOR.value
        ).order_by("display_name", "email")
        if self.instance.pk:
            self.fields["constellations"].initial = list(
                self.instance.constellations.filter(coordinators=user)
            )
            self.fields["owners"].initial = list(self.instance.owners.all())
        else:
            self.fields["owners"].initial = [user]
        if not user.has_perm("certificates.set_default_issuer", self.instance):
            self.fields["is_default"].disabled = True
            self.fields["is_default"].help_text = _(
                "Only the owners of the current default issuer may change which issuer is "
                "the default."
            )

    def clean_owners(self):
        owners = list(self.cleaned_data.get("owners") or [])
        if not owners and not self.instance.pk:
            return [self.user]  # a new issuer is its creator's
        if not owners:
            raise forms.ValidationError(_("An issuer needs at least one owner."))
        return owners

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
