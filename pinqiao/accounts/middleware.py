"""Idle session timeout (ACC-3): 30 minutes for users, 15 for staff."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.accounts.services import session_end

_TOUCH_EVERY_SECONDS = 30


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and "last_seen" in request.session:
            limit = (settings.STAFF_SESSION_IDLE_TIMEOUT if user.is_staff
                     else settings.SESSION_IDLE_TIMEOUT)
            now = timezone.now().timestamp()
            idle = now - request.session["last_seen"]
            if idle > limit.total_seconds():
                session_end(request=request, reason="idle_timeout")
                messages.info(request, _("您长时间未操作，已自动退出登录，请重新登录。"))
            elif idle > _TOUCH_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)
