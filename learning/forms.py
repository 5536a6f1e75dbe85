from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateNameForm(forms.Form):
    """The name to print on a certificate, asked once before it is issued."""

    real_name = forms.CharField(
        label=_("Real name"),
        max_length=50,
        help_text=_("As on your ID card. It is printed on the certificate and cannot be changed."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
