from django.contrib import admin

from trainings.models import Certificate, Participant, Question, Session, Training


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "office", "registration_open", "created_at"]
    list_filter = ["office", "registration_open"]
    search_fields = ["title", "case__reference"]
    raw_id_fields = ["case", "created_by"]
    inlines = [SessionInline, QuestionInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["full_name", "training", "school", "source", "registered_at"]
    list_filter = ["source"]
    search_fields = ["full_name", "email", "training__title"]
    raw_id_fields = ["training", "user", "school", "registered_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """The register is read here, never edited: a number, once taken, stays (cancelled or not)."""

    list_display = ["number", "recipient_name", "training_title", "issued_on", "cancelled_at"]
    list_filter = ["office", "year"]
    search_fields = ["number", "recipient_name", "training_title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
