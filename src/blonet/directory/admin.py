from django.contrib import admin

from blonet.directory.models import Agency, CounterpartPair, Country, Office, Site


class ReadOnlyAdmin(admin.ModelAdmin):
    """The directory is edited as a file and loaded with `blonet directory_load` (audited)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ("code", "alpha3", "precision")


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "country", "kind", "precision")
    list_filter = ("country", "kind")
    search_fields = ("id", "name", "name_ru")


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "country", "border_country", "precision")
    list_filter = ("country", "kind")
    search_fields = ("id", "name", "name_ru")


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "site", "agency", "opened", "open_by", "precision")
    list_filter = ("country", "kind")
    search_fields = ("id", "name", "name_ru")


@admin.register(CounterpartPair)
class CounterpartPairAdmin(ReadOnlyAdmin):
    list_display = ("office_a", "office_b", "precision")
