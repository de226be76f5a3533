from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tandem.crm.models import Account, Contact, ContactEmail, ContactPhone, Stakeholder


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    autocomplete_fields = ("contact", "account")


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ("name", "industry", "tier", "status", "owner", "city")
    list_filter = ("tier", "status", "industry")
    search_fields = ("name", "city")
    autocomplete_fields = ("owner",)
    inlines = [StakeholderInline]
    list_select_related = ("owner",)


class EmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0


class PhoneInline(admin.TabularInline):
    model = ContactPhone
    extra = 0


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "created_at")
    search_fields = ("first_name", "last_name", "emails__email")
    inlines = [EmailInline, PhoneInline, StakeholderInline]


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = ("contact", "account", "title", "influence", "start_date", "end_date")
    list_filter = ("influence",)
    search_fields = ("contact__last_name", "account__name", "title")
    autocomplete_fields = ("contact", "account")
    list_select_related = ("contact", "account")
