from __future__ import annotations

from typing import Any

from django.db.models import Q

from blonet.core.access import ReferenceQuerySet


class SearchableQuerySet(ReferenceQuerySet[Any]):
    search_fields: tuple[str, ...] = ("id", "name", "name_ru")

    def search(self, text: str) -> SearchableQuerySet:
        text = (text or "").strip()
        if not text:
            return self
        q = Q()
        for word in text.split():
            word_q = Q()
            for field in self.search_fields:
                word_q |= Q(**{f"{field}__icontains": word})
            q &= word_q
        return self.filter(q)


class CountryQuerySet(ReferenceQuerySet[Any]):
    pass


class AgencyQuerySet(SearchableQuerySet):
    search_fields = ("id", "name", "name_ru", "abbreviation")


class SiteQuerySet(SearchableQuerySet):
    pass


class OfficeQuerySet(SearchableQuerySet):
    search_fields = (
        "id",
        "name",
        "name_ru",
        "site__name",
        "site__name_ru",
        "agency__name",
        "agency__abbreviation",
    )


class CounterpartPairQuerySet(ReferenceQuerySet[Any]):
    pass
