"""Chinese error pages (issue 15): each status with its own title and heading, never Django's
English debug or plain pages; also the page a service's refusal (``ServiceError``) ends on."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

from pinqiao.core.busy import busy_response, is_database_refusal

ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: (_("请求有误"), _("页面收到的请求不完整或格式不对，请返回后重试。")),
    403: (_("无权访问"), _("您没有访问该页面的权限。如果您认为这是误会，请联系平台客服。")),
    404: (_("页面不存在"), _("您要找的页面不存在，可能已被删除或链接有误。")),
    429: (_("操作太频繁"), _("您的操作太频繁了，请稍后再试。")),
    500: (_("服务暂时出错"), _("服务器处理请求时出错了，我们已记录此问题，请稍后再试。")),
}


def error_page(request: HttpRequest | None, status: int, message: str = "") -> HttpResponse:
    """The Chinese error page for ``status``: a page title and heading of its own, the message
    (a service's refusal, or the default for the status) and the ways back."""
    heading, default = ERROR_PAGES.get(status, (_("无法完成操作"), ""))
    context = {"heading": heading, "message": message or default, "status": status}
    if request is None:  # 500: rendered without the request's context (the database may be down)
        return HttpResponse(loader.render_to_string("core/error.html", context), status=status)
    return render(request, "core/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Under ``/api/`` an address that matches no operation (``/jobs/null``) answers with the
    API's JSON error body, as the OpenAPI document says; pages get the Chinese page."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": str(_("请求的内容不存在。")),
                          "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """An error raised outside a view (in a middleware: the session save, the token lookup) that
    is a database refusal is a 503 with ``Retry-After``, not a 500."""
    exc = sys.exc_info()[1]
    if is_database_refusal(exc):
        return busy_response(request, exc)
    return error_page(None, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Chinese 403 instead of Django's English one."""
    return error_page(request, 403, _("页面已过期或表单来源无法验证，请刷新页面后重新提交。"))
