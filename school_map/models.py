"""Where each school is: latitude and longitude set by the office, confirmed by the school.

A row of its own (not fields on accounts.School) so the map needs no change to the accounts
app; one location per school.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Thailand and a margin around it: a swapped or mistyped coordinate is refused.
LAT_RANGE = (Decimal("5.0"), Decimal("21.0"))
LON_RANGE = (Decimal("97.0"), Decimal("106.0"))


class _Coordinate(TypedDict):
    max_digits: int
    decimal_places: int


COORD: _Coordinate = {"max_digits": 9, "decimal_places": 6}


class SchoolLocation(models.Model):
    school = models.OneToOneField(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="location",
    )
    latitude = models.DecimalField(
        _("latitude"),
        validators=[
            MinValueValidator(LAT_RANGE[0], _("Latitude in Thailand is between 5 and 21.")),
            MaxValueValidator(LAT_RANGE[1], _("Latitude in Thailand is between 5 and 21.")),
        ],
        **COORD,
    )
    longitude = models.DecimalField(
        _("longitude"),
        validators=[
            MinValueValidator(LON_RANGE[0], _("Longitude in Thailand is between 97 and 106.")),
            MaxValueValidator(LON_RANGE[1], _("Longitude in Thailand is between 97 and 106.")),
        ],
        **COORD,
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed by the school at"), null=True, blank=True)

    class Meta:
        verbose_name = _("school location")
        verbose_name_plural = _("school locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=LAT_RANGE[0], latitude__lte=LAT_RANGE[1])
                & Q(longitude__gte=LON_RANGE[0], longitude__lte=LON_RANGE[1]),
                name="school_location_in_thailand",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.latitude}, {self.longitude}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
