from django.contrib import admin

from school_map.models import SchoolLocation


@admin.register(SchoolLocation)
class SchoolLocationAdmin(admin.ModelAdmin):
    list_display = ["school", "latitude", "longitude", "confirmed_at"]
    search_fields = ["school__name_th", "school__obec_code"]
    raw_id_fields = ["school", "set_by", "confirmed_by"]
