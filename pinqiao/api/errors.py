"""One error body for every API failure: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from pinqiao.core.busy import busy_response
from pinqiao.core.errors import ServiceError


def error_response(api: NinjaAPI, request: HttpRequest, *, status: int, code: str,
                   message: str, fields: dict | None = None,
                   details: dict | None = None) -> HttpResponse:
    body: dict = {"error": {"code": code, "message": message, "fields": fields or {}}}
    if details:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


#: The error body, as an OpenAPI component every operation refers to.
ERROR_COMPONENT = "ErrorBody"
ERROR_SCHEMA = {
    "title": ERROR_COMPONENT,
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "稳定的错误代码"},
                "message": {"type": "string", "description": "中文说明"},
                "fields": {"type": "object",
                           "additionalProperties": {"type": "array",
                                                    "items": {"type": "string"}}},
                "details": {"type": "object", "description": "附加信息（如审核命中的条款与词语）"},
            },
        },
    },
}
ERROR_RESPONSES = {
    "4XX": "请求被拒绝（错误代码见 error.code）",
    "503": "系统繁忙，请按 Retry-After 稍后重试",
}


def document_errors(schema: dict) -> dict:
    """Add the error body to every operation of an OpenAPI document: any 4xx, and the 503 of a
    busy database (with ``Retry-After``). Responses an operation documents itself are kept."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                entry = {"description": description, "content": content}
                if code == "503":
                    entry["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                        "description": "秒"}}
                responses.setdefault(code, entry)
    return schema


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        response = error_response(api, request, status=exc.status, code=exc.code,
                                  message=exc.message, fields=exc.fields,
                                  details=exc.details)
        if retry_after := getattr(exc, "retry_after", None):
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(list(error.get("loc", []))), []).append(
                str(error.get("msg", "")))
        return error_response(api, request, status=422, code="invalid_input",
                              message=_("提交的数据格式不正确。"), fields=fields)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, status=401, code="not_authenticated",
                              message=_("请先登录。"))

    @api.exception_handler(PermissionDenied)
    def permission_error(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, status=403, code="forbidden",
                              message=str(exc) or _("您没有执行此操作的权限。"))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found",
                              message=_("请求的内容不存在。"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, status=exc.status_code, code="http_error",
                              message=str(exc))

    @api.exception_handler(OperationalError)
    def database_refused(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        return busy_response(request, exc)
