"""Django admin for staff, on our roles: access follows ``ROLE_PERMISSIONS`` (not Django's model
permissions), the admin site itself demands the TOTP second factor (``OTPAdminSite``), and every
change made through it is also written to the audit log (ACC-2, SEC-1)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pinqiao.core.audit import log_action
from pinqiao.core.permissions import has_perm


class RoleAdmin(admin.ModelAdmin):
    """A ModelAdmin opened to the staff roles that hold ``perm``."""

    perm: str = ""

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.perm)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        log_action(request.user, "admin.added", obj, {"message": str(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        log_action(request.user, "admin.changed", obj, {"message": str(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            log_action(request.user, "admin.deleted", obj, {"repr": str(obj)})
        return super().log_deletions(request, queryset)
