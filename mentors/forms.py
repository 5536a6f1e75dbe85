"""The entrepreneur's profile form (带头人登记), made for a phone."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from regions.models import County, Town, Village

from .models import Background, Entrepreneur, Stage


class ChainedSelect(forms.Select):
    """A select whose options name their parent (``data-parent``), so that a script can
    show only the towns of the chosen county, or the villages of the chosen town. Without
    the script every option stays and their labels carry the parents' names."""

    def __init__(self, parent_attr=None, level="", attrs=None):
        self.parent_attr = parent_attr
        super().__init__(attrs={"data-place-level": level, **(attrs or {})})

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if self.parent_attr and instance is not None:
            option["attrs"]["data-parent"] = getattr(instance, self.parent_attr)
        return option


class TownChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EntrepreneurForm(forms.ModelForm):
    """What a returning graduate, worker or farmer tells about their business.

    The home village is picked county → town → village; the three must agree. School and
    year are asked of graduates only: for anyone else whatever the hidden fields hold is
    dropped, errors included, since the person cannot see them.
    """

    # Plain choice fields: the model's would offer an empty "---------" radio.
    background = forms.ChoiceField(
        label=_("Background"), choices=Background.choices, widget=forms.RadioSelect
    )
    stage = forms.ChoiceField(
        label=_("Business stage"), choices=Stage.choices, widget=forms.RadioSelect
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        widget=ChainedSelect(level="county"),
    )
    town = TownChoiceField(
        label=_("Town"),
        queryset=Town.objects.select_related("county"),
        widget=ChainedSelect("county_id", level="town"),
    )
    village = VillageChoiceField(
        label=_("Village"),
        queryset=Village.objects.active().with_places(),
        widget=ChainedSelect("town_id", level="village"),
    )

    class Meta:
        model = Entrepreneur
        fields = [
            "name",
            "background",
            "school",
            "graduation_year",
            "county",
            "town",
            "village",
            "products",
            "other_products",
            "stage",
            "channels",
            "needs",
            "households_helped",
        ]
        labels = {
            "name": _("Real name"),
            "needs": _("What help do you want?"),
        }
        help_texts = {
            "other_products": _("Anything not in the list, e.g. 腐竹、蜂蜜"),
            "needs": _("In your own words, e.g. how to open a shop, take photos, or ship fruit."),
            "households_helped": _(
                "How many registered poor households you employ or buy from; 0 if none yet."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "products": forms.CheckboxSelectMultiple,
            "channels": forms.CheckboxSelectMultiple,
            "needs": forms.Textarea(attrs={"rows": 4}),
            "graduation_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "households_helped": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        # Chinese labels read as headings; a colon after "您需要什么帮助？" would not.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        this_year = datetime.date.today().year
        year = self.fields["graduation_year"]
        year.widget.attrs.update({"min": 1960, "max": this_year})
        # Checked here too so that a huge number gets this message, not the database's
        # integer range.
        year.validators.append(
            MaxValueValidator(this_year, _("The year of graduation cannot be in the future."))
        )
        self.fields["village"].queryset = Village.objects.selectable(self.instance.village_id)
        village = self.instance.village if self.instance.village_id else None
        if village is not None:
            self.initial.setdefault("town", village.town_id)
            self.initial.setdefault("county", village.town.county_id)

    @property
    def school_backgrounds(self):
        """For the page's script, which shows school and year for these only."""
        return " ".join(Background.with_school())

    def _update_errors(self, errors):
        # The model's clean() runs even for a field already refused, and would add, say,
        # "give the year" under "enter a whole number": one message per field is enough.
        if hasattr(errors, "error_dict"):
            errors.error_dict = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name not in self._errors
            }
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("background") not in Background.with_school():
            for name in ("school", "graduation_year"):
                self.errors.pop(name, None)
            cleaned["school"] = ""
            cleaned["graduation_year"] = None
        county, town, village = (cleaned.get(name) for name in ("county", "town", "village"))
        if county and town and town.county_id != county.pk:
            self.add_error(
                "town",
                _("%(town)s is not in %(county)s.") % {"town": town.name, "county": county.name},
            )
        elif town and village and village.town_id != town.pk:
            self.add_error(
                "village",
                _("%(village)s is not in %(town)s.") % {"village": village.name, "town": town.name},
            )
        return cleaned
