from __future__ import annotations

from rest_framework import serializers

from blonet.directory.models import Agency, CounterpartPair, Country, Office, Site


class CountrySerializer(serializers.ModelSerializer[Country]):
    name = serializers.CharField(read_only=True, help_text="Name in the request's language.")

    class Meta:
        model = Country
        fields = ["code", "alpha3", "name", "source", "precision"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = [
            "id",
            "country",
            "kind",
            "name",
            "name_ru",
            "abbreviation",
            "source",
            "precision",
            "note",
        ]


class SiteSerializer(serializers.ModelSerializer[Site]):
    border = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "name_ru",
            "kind",
            "country",
            "border",
            "lat",
            "lon",
            "coord_precision",
            "source",
            "precision",
            "note",
        ]

    def get_border(self, obj: Site) -> list[str] | None:
        return list(obj.border) if obj.border else None


class OfficeSerializer(serializers.ModelSerializer[Office]):
    counterparts = serializers.SerializerMethodField()

    class Meta:
        model = Office
        fields = [
            "id",
            "name",
            "name_ru",
            "kind",
            "site",
            "agency",
            "country",
            "opened",
            "open_by",
            "open_after",
            "counterparts",
            "source",
            "precision",
            "note",
        ]

    def get_counterparts(self, obj: Office) -> list[str]:
        pairs = getattr(obj, "_counterpart_ids", None)
        if pairs is not None:
            return list(pairs)
        return [o.id for o in obj.counterparts()]


class CounterpartPairSerializer(serializers.ModelSerializer[CounterpartPair]):
    offices = serializers.SerializerMethodField()

    class Meta:
        model = CounterpartPair
        fields = ["offices", "source", "precision", "note"]

    def get_offices(self, obj: CounterpartPair) -> list[str]:
        return [obj.office_a_id, obj.office_b_id]
