from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        # The case page's links to a case's trainings (processes.case_links).
        # Certificates are issued documents: the documents app prints them with this template.
        from documents.models import IssuedDocument
        from documents.rendering import register_template
        from trainings import hooks, pdf  # noqa: F401  (pdf: the certificate's renderer)

        register_template(IssuedDocument.Kind.CERTIFICATE, "trainings/pdf/certificate.html")

        # Lists a broker outage left queued are sent again by core's periodic pass.
        from core import import_jobs
        from trainings.models import ParticipantImport
        from trainings.services_lists import queue_participant_list

        import_jobs.register(ParticipantImport, queue_participant_list)
