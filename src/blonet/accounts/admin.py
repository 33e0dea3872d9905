from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from blonet.accounts.models import Posting, User
from blonet.audit.services import audit_event_record


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    autocomplete_fields = ["office"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("blonet", {"fields": ("display_name", "clearance")}),
    )
    inlines = [PostingInline]
    list_display = ("username", "display_name", "is_active", "clearance", "last_login")

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        """Posting changes made here are audited like those made through the services."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Posting:
            return
        for posting in formset.new_objects:
            audit_event_record(
                actor=request.user,
                action="accounts.posting.created",
                target=posting,
                data=posting.as_audit_data(),
            )
        for posting, _fields in formset.changed_objects:
            audit_event_record(
                actor=request.user,
                action="accounts.posting.changed",
                target=posting,
                data=posting.as_audit_data(),
            )
        for posting in formset.deleted_objects:
            audit_event_record(
                actor=request.user,
                action="accounts.posting.deleted",
                target_type="accounts.posting",
                target_id=str(posting.pk),
                data=posting.as_audit_data(),
            )
