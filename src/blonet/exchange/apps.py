from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "blonet.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        # A seizure's page offers the one-click notification (records never imports exchange).
        from blonet.records.hooks import register_record_section

        register_record_section(seizure_section)
        from blonet.exchange import federation

        federation.register()


def seizure_section(user: Any, record: Any) -> dict[str, Any] | None:
    from blonet.records.models import Seizure
    from blonet.records.views.common import is_operational

    if not isinstance(record, Seizure) or record.is_deleted or not is_operational(user):
        return None
    return {"template": "exchange/_seizure_section.html", "seizure": record}
