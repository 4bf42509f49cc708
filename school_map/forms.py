from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from school_map.models import SchoolLocation


class LocationForm(forms.ModelForm):
    class Meta:
        model = SchoolLocation
        fields = ["latitude", "longitude"]
        help_texts = {
            "latitude": _("Decimal degrees, e.g. 19.910000 (from a phone's map: hold the school)."),
            "longitude": _("Decimal degrees, e.g. 99.840000."),
        }
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        }
