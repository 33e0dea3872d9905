from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "blonet.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self) -> None:
        from blonet.records import federation

        federation.register()
