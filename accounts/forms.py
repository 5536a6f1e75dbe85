from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Village

from .claims import HELD_ELSEWHERE, claim_id_number, held_by_another
from .idcard import id_number_hash, normalize_id_number
from .models import User


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds to phone and password."""

    real_name = forms.CharField(label=_("Real name"), max_length=50)

    def signup(self, request, user):
        user.real_name = self.cleaned_data["real_name"]
        user.save(update_fields=["real_name"])


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ProfileForm(forms.ModelForm):
    """A trainee's own profile. The ID-card number is write-only: only its hash is kept,
    as a claim until proven (accounts.claims); ``claim`` is the claim saving made."""

    claim = None
    home_village = VillageChoiceField(
        queryset=Village.objects.active().with_places(), required=False, label=_("Home village")
    )
    id_number = forms.CharField(
        label=_("ID-card number"),
        required=False,
        max_length=30,
        help_text=_(
            "Optional. Links your training to the poverty registry once confirmed; only a "
            "masked form is shown."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["real_name", "home_village"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_village"].queryset = Village.objects.selectable(
            self.instance.home_village_id
        )

    def clean_id_number(self):
        raw = self.cleaned_data["id_number"]
        if not raw:
            return raw
        number = normalize_id_number(raw)
        # Said beside the field, without saying whose: the claim would be refused anyway.
        if held_by_another(self.instance, id_number_hash(number)):
            raise forms.ValidationError(HELD_ELSEWHERE, code="held_elsewhere")
        return number

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit and self.cleaned_data.get("id_number"):
            self.claim = claim_id_number(user, self.cleaned_data["id_number"])
        return user
