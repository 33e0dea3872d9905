from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "blonet.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        # A records entity's page shows its watchlist entries and hits (records never imports
        # screening: it offers the registration, ADR 0009).
        from blonet.records.views import register_entity_section
        from blonet.screening.views.sections import entity_section

        register_entity_section(entity_section)
