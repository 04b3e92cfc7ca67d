from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Antragstellende und Konten")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from applicants.second_factor import start_staff_session

        user_logged_in.connect(start_staff_session, dispatch_uid="start_staff_session")
