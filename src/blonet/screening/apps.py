from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "blonet.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        # A records entity's page shows its watchlist entries and hits (records never imports
        # screening: it offers the registration, ADR 0009).
        from blonet.records.hooks import register_record_saved, register_record_section
        from blonet.records.views import register_entity_section
        from blonet.screening.views.sections import entity_section, record_section

        register_entity_section(entity_section)
        # Every person, vehicle and container entered in a seizure or an incident is screened
        # when the record commits; its page then shows the hits (the officer's notice).
        register_record_saved(_screen_record)
        register_record_section(record_section)


def _screen_record(*, actor: object, record: object) -> None:
    from blonet.screening.services import screen_record_entities

    screen_record_entities(actor=actor, record=record)
