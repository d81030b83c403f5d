"""Errors that services raise and that pages and the API turn into clear messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    """A refusal a user can understand: a stable ``code``, a Chinese ``message``, field errors.

    The API renders it as ``{"error": {"code", "message", "fields"}}`` with ``status``; pages
    show ``message`` and the field errors beside their fields. ``details`` (optional) carries
    structured detail such as the screening findings per field, added to the API body as
    ``"details"`` when present.
    """

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.details = details
        if status is not None:
            self.status = status

    @classmethod
    def from_validation_error(cls, code: str, exc: ValidationError) -> ServiceError:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages]
                      for name, errs in exc.error_dict.items()}
            message = next(iter(fields.values()))[0]
            return cls(code, message, fields=fields)
        return cls(code, " ".join(str(m) for m in exc.messages))


class NotPermitted(ServiceError):
    """The actor may not do this; rendered as 403."""

    status = 403

    def __init__(self, message: str, *, code: str = "forbidden") -> None:
        super().__init__(code, message)


class NotFound(ServiceError):
    """Nothing the actor may see exists here; rendered as 404 (also for others' objects)."""

    status = 404

    def __init__(self, message: str, *, code: str = "not_found") -> None:
        super().__init__(code, message)
