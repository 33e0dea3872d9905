from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from blonet.accounts.models import Posting, User


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
