"""Form helpers shared by the apps' pages."""

from django import forms

from pinqiao.core.errors import ServiceError


def add_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service's refusal on the form: field errors beside fields, the rest on top."""
    shown = False
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            shown = True
    if not shown:
        form.add_error(None, exc.message)
