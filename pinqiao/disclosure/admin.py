from django.contrib import admin

from pinqiao.core.admin import RoleAdmin
from pinqiao.disclosure.models import ServiceOffering


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(RoleAdmin):
    """Operators keep the public services-and-prices list (DISC-2)."""

    perm = "manage.services"
    list_display = ("name", "audience", "is_free", "price_yuan", "price_unit", "is_active")
    list_filter = ("audience", "is_free", "is_active")
